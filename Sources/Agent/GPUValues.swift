/// One GPU's latest value per field, and the reason for each field it has none.
///
/// A fixed array indexed by `AgentField.rawValue`: the sampler rewrites it every second for
/// every GPU, so it avoids hashing and allocation on that path.
public struct GPUValues: Sendable, Equatable {
    private var values: [Double?]
    /// Why a field has no value; a field with a value has no reason.
    public private(set) var reasons: [AgentField: String]
    /// Fields whose reason is a call missing from the library: the same on every GPU.
    public private(set) var missingFromLibrary: Set<AgentField>

    public init() {
        values = Array(repeating: nil, count: AgentField.allCases.count)
        reasons = [:]
        missingFromLibrary = []
    }

    public subscript(field: AgentField) -> Double? {
        values[field.rawValue]
    }

    mutating func set(_ field: AgentField, _ value: Double) {
        values[field.rawValue] = value
        if !reasons.isEmpty {
            reasons[field] = nil
            missingFromLibrary.remove(field)
        }
    }

    /// The call answered an error on this GPU.
    mutating func notCollected(_ fields: [AgentField], _ reason: String) {
        for field in fields {
            values[field.rawValue] = nil
            reasons[field] = reason
            missingFromLibrary.remove(field)
        }
    }

    /// The library lacks the call (an older driver).
    mutating func missing(_ fields: [AgentField], _ reason: String) {
        notCollected(fields, reason)
        missingFromLibrary.formUnion(fields)
    }
}
