/// A field the agent cannot give, and why: a missing NVML entry point (older driver) or an NVML
/// error on one GPU (`Not Supported` on boards without the feature).
///
/// The series is then absent from `/metrics`, never 0, so the server's health model reports the
/// field as "not collected" instead of reading a healthy zero.
public struct NotCollected: Sendable, Hashable, CustomStringConvertible {
    public var field: AgentField
    /// The GPU it applies to; `nil` when the whole library lacks the call.
    public var gpu: Int?
    public var reason: String

    public init(field: AgentField, gpu: Int?, reason: String) {
        self.field = field
        self.gpu = gpu
        self.reason = reason
    }

    public var description: String {
        "\(field.name) not collected\(gpu.map { " on GPU \($0)" } ?? ""): \(reason)"
    }
}
