public import Foundation

/// Which audit entries `Store.auditLog(_:limit:)` returns (the operator's audit viewer).
///
/// Every field narrows; `nil` leaves it open. Matching is plain text, never a pattern the caller
/// writes, so a filter cannot widen itself (no `%` or `_` wildcards to escape).
public struct AuditFilter: Sendable, Hashable {
    /// The start of the actor's text: a user's name matches `"alice (u_…)"`.
    public var actor: String?
    /// An exact action (`key.revoke`), or a family when it ends with a dot (`node.`).
    public var action: String?
    /// An exact target (a tenant or node name, a key or user id).
    public var target: String?
    /// Entries at or after this time.
    public var since: Date?
    /// Entries strictly before this time.
    public var until: Date?
    /// Entries with an id below this one: the next page of a newest-first listing.
    public var beforeID: Int64?

    public init(actor: String? = nil, action: String? = nil, target: String? = nil, since: Date? = nil, until: Date? = nil, beforeID: Int64? = nil) {
        self.actor = actor
        self.action = action
        self.target = target
        self.since = since
        self.until = until
        self.beforeID = beforeID
    }

    /// No narrowing at all.
    public static let all = AuditFilter()
}
