public import Foundation

/// One stored run of the "validate observability stack" self-check (table `validation_runs`,
/// migration 7). The report is JSON text the read model builds; the store keeps it as it is.
public struct ValidationRunRecord: Sendable, Hashable {
    /// `vr_` + 16 hex digits.
    public var id: String
    /// The tenant whose nodes were checked; `nil` for an operator's fleet run.
    public var tenant: String?
    /// The user id of whoever ran it.
    public var requestedBy: String
    public var createdAt: Date
    /// The worst answer: `pass`, `warn` or `fail`.
    public var status: String
    public var durationMs: Int
    /// `Factory.ValidationReport` as a JSON object.
    public var report: String

    public init(id: String, tenant: String?, requestedBy: String, createdAt: Date, status: String, durationMs: Int, report: String) {
        self.id = id
        self.tenant = tenant
        self.requestedBy = requestedBy
        self.createdAt = createdAt
        self.status = status
        self.durationMs = durationMs
        self.report = report
    }

    /// Runs kept per tenant (and for the fleet); older ones are dropped as new ones are saved.
    public static let kept = 50
}
