/// An audit entry written in the same transaction as the change it records, so the change and
/// its record commit together or not at all.
///
/// Used where the change reveals something once (a created key's plaintext): had the audit row
/// been written afterwards and failed, the caller would get a 500 and the key would exist,
/// unrecorded, with its only copy of the plaintext lost.
public struct AuditNote: Sendable, Hashable {
    public var actor: String
    public var action: String
    public var detail: [String: String]

    public init(actor: String, action: String, detail: [String: String] = [:]) {
        self.actor = actor
        self.action = action
        self.detail = detail
    }
}
