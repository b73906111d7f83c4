public import Foundation

/// A one-time enrolment token as the store keeps it (never its plaintext, only a hash).
///
/// An operator or tenant admin mints one for a tenant (and optionally the pool the node will be
/// contributed to); `aifactory agent --enroll-token` redeems it once, before `expiresAt`, which
/// registers the node held that way.
public struct EnrolmentToken: Sendable, Hashable, Codable {
    public var id: String
    public var tenant: String
    /// When set, the enrolled node is contributed to this pool by `tenant`; otherwise dedicated.
    public var pool: String?
    /// The audit name of who minted it.
    public var createdBy: String
    public var createdAt: Date
    public var expiresAt: Date
    /// When it was redeemed; `nil` while unused.
    public var usedAt: Date?
    /// The node it registered, once used.
    public var node: String?

    public init(
        id: String, tenant: String, pool: String?, createdBy: String, createdAt: Date, expiresAt: Date,
        usedAt: Date? = nil, node: String? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.pool = pool
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
        self.node = node
    }

    /// How the node it enrols is held.
    public var holding: Holding {
        pool.map { .contributed(provider: tenant, pool: $0) } ?? .dedicated(tenant: tenant)
    }
}
