public import Foundation

/// Where a load test is in its life. `queued` and `running` are *active*: a tenant has at most one
/// active test. The other three are final and never change again.
public enum LoadTestStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case queued, running, succeeded, failed, cancelled

    /// `true` for `queued` and `running`.
    public var isActive: Bool { self == .queued || self == .running }
}

/// One stored load test (table `load_tests`, migration 3).
///
/// The store does not interpret the plan, the progress or the result: they are JSON object texts
/// owned by the server (`Server/LoadTests`), so the `Store` target stays free of the load
/// generator's types. Times are at storage precision (milliseconds).
public struct LoadTestRecord: Sendable, Hashable {
    /// `lt_` + 16 hex digits.
    public var id: String
    /// The tenant that holds the node (also for a test an operator started).
    public var tenant: String
    public var node: String
    /// The user id of whoever started it.
    public var requestedBy: String
    public var status: LoadTestStatus
    /// The validated request, as a JSON object.
    public var plan: String
    /// The last progress snapshot, as a JSON object.
    public var progress: String?
    /// Completed levels and search outcome, as a JSON object.
    public var result: String?
    /// Why it failed (or was stopped), for people.
    public var error: String?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?

    public init(id: String, tenant: String, node: String, requestedBy: String, status: LoadTestStatus, plan: String,
                progress: String? = nil, result: String? = nil, error: String? = nil,
                createdAt: Date, startedAt: Date? = nil, finishedAt: Date? = nil) {
        self.id = id
        self.tenant = tenant
        self.node = node
        self.requestedBy = requestedBy
        self.status = status
        self.plan = plan
        self.progress = progress
        self.result = result
        self.error = error
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// A change to a stored load test: `nil` fields are left as they are.
public struct LoadTestUpdate: Sendable, Hashable {
    public var status: LoadTestStatus?
    public var progress: String?
    public var result: String?
    public var error: String?

    public init(status: LoadTestStatus? = nil, progress: String? = nil, result: String? = nil, error: String? = nil) {
        self.status = status
        self.progress = progress
        self.result = result
        self.error = error
    }
}
