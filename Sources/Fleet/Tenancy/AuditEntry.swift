public import Foundation

/// One admin action, appended and never changed, so operators can answer "who did this, when".
public struct AuditEntry: Sendable, Hashable, Codable {
    /// Monotonic id assigned by the database; later entries have larger ids.
    public var id: Int64
    public var at: Date
    /// Who acted: a user id or name, or `system`.
    public var actor: String
    /// What was done, e.g. `tenant.create`, `key.revoke`.
    public var action: String
    /// What it was done to, e.g. a tenant or node name or key id.
    public var target: String
    /// Extra facts as a JSON object text; never key material.
    public var detail: String

    public init(id: Int64, at: Date, actor: String, action: String, target: String, detail: String) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
    }
}
