public import Foundation

/// A consumer tenant's right to draw on a pool: plan name and token quota per period.
public struct Subscription: Sendable, Hashable, Codable {
    /// Opaque id (`s_` + random hex).
    public var id: String
    /// The consuming tenant.
    public var tenant: String
    public var pool: String
    /// Plan name shown to people, e.g. `standard`. Free text, non-empty.
    public var plan: String
    /// Tokens allowed per `period`; 0 means none (a suspended subscription), never "unlimited".
    public var tokenQuota: Int
    /// `month`, `week` or `day` (see `SubscriptionPeriod`).
    public var period: String
    public var createdAt: Date

    public init(
        id: String, tenant: String, pool: String, plan: String, tokenQuota: Int, period: String,
        createdAt: Date
    ) {
        self.id = id
        self.tenant = tenant
        self.pool = pool
        self.plan = plan
        self.tokenQuota = tokenQuota
        self.period = period
        self.createdAt = createdAt
    }
}
