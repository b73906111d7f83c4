import Fleet
import Foundation

/// Field checks shared by every write, run before a transaction opens so bad input never touches
/// stored data. Field names are the API's JSON names, because the server reports them verbatim (422).
enum Validate {
    static let maxTextLength = 200

    static func name(_ value: String, field: String = "name") throws(StoreError) {
        if let problem = NameRule.problem(with: value) {
            throw .invalid(field: field, reason: "\(problem) (allowed: [a-z0-9][a-z0-9-]{0,62})")
        }
    }

    /// Free text shown to people: non-empty after trimming, bounded, no control characters.
    static func text(_ value: String, field: String, maxLength: Int = maxTextLength) throws(StoreError) {
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalid(field: field, reason: "must not be empty")
        }
        if value.count > maxLength {
            throw .invalid(field: field, reason: "must be at most \(maxLength) characters")
        }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .invalid(field: field, reason: "must not contain control characters")
        }
    }

    /// `host:port` with a port in 1…65535; the host part is not resolved here.
    static func address(_ value: String, field: String) throws(StoreError) {
        try text(value, field: field)
        guard let colon = value.lastIndex(of: ":"),
              !value[..<colon].isEmpty,
              let port = Int(value[value.index(after: colon)...]), (1...65535).contains(port),
              !value.contains(where: { $0 == "/" || $0 == " " || $0 == "@" })
        else {
            throw .invalid(field: field, reason: "must be host:port with a port from 1 to 65535")
        }
        // The same classification the outbound policy applies when it connects (docs/SECURITY.md):
        // these never name a GPU node, and 169.254.169.254 is a cloud metadata service. Loopback
        // and private addresses stay registrable (the demo's simulator, nodes on a private
        // network); whether the server may connect to them for a tenant is the policy's call.
        if let ip = IPAddress(value[..<colon]) {
            let scope = AddressScope.of(ip)
            if scope == .linkLocal || scope == .unspecified || scope == .multicast {
                throw .invalid(field: field, reason: "must not be a \(scope.rawValue) address")
            }
        }
    }

    static func path(_ value: String, field: String) throws(StoreError) {
        try text(value, field: field)
        guard value.hasPrefix("/"), !value.contains(where: { $0 == " " || $0 == "?" || $0 == "#" }) else {
            throw .invalid(field: field, reason: "must be an absolute path such as /metrics")
        }
    }

    static func positive(_ value: Int, field: String) throws(StoreError) {
        guard value > 0 else { throw .invalid(field: field, reason: "must be greater than 0") }
    }

    static func gpuUUIDs(_ uuids: [String]) throws(StoreError) {
        for uuid in uuids {
            try text(uuid, field: "gpuUUIDs", maxLength: 100)
        }
        if Set(uuids).count != uuids.count {
            throw .invalid(field: "gpuUUIDs", reason: "must not repeat a UUID")
        }
    }

    /// The audit detail must be a JSON object so the log stays machine-readable.
    static func jsonObject(_ value: String, field: String) throws(StoreError) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(value.utf8)), object is [String: Any] else {
            throw .invalid(field: field, reason: "must be a JSON object")
        }
    }
}
