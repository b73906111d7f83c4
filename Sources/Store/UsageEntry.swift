public import Foundation

/// One metered request in the usage ledger (table `usage_ledger`, migration 8): what the quota
/// bar, billing and the gateway's quota check read. Written once per request, keyed by the
/// gateway's request id, so a retried write never counts twice.
public struct UsageEntry: Sendable, Hashable {
    /// The gateway's request id (`req_` + hex): the ledger's primary key.
    public var requestID: String
    public var tenant: String
    public var pool: String
    /// The API key that made the request (its id, never the secret).
    public var keyID: String
    public var model: String
    public var tokensIn: Int
    public var tokensOut: Int
    /// The HTTP status the client got (200 for a stream that ended cleanly).
    public var status: Int
    /// `upstream` (the upstream's own usage report) or `estimated` (docs/GATEWAY.md "Metering").
    public var source: String
    public var at: Date

    public init(requestID: String, tenant: String, pool: String, keyID: String, model: String, tokensIn: Int, tokensOut: Int,
                status: Int, source: String, at: Date) {
        self.requestID = requestID
        self.tenant = tenant
        self.pool = pool
        self.keyID = keyID
        self.model = model
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.status = status
        self.source = source
        self.at = at
    }
}

/// Sums over a tenant's ledger since a moment.
public struct UsageTotals: Sendable, Hashable {
    public var tokensIn: Int
    public var tokensOut: Int
    public var requests: Int

    public init(tokensIn: Int = 0, tokensOut: Int = 0, requests: Int = 0) {
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.requests = requests
    }

    public var tokens: Int { tokensIn + tokensOut }
}

/// A tenant's ledger over a window, three ways: in time buckets, per model and per API key —
/// what the consumer's usage page draws (docs/GATEWAY.md "What the page reads").
public struct UsageBreakdown: Sendable, Hashable {
    /// One slice of the window (or one model, or one key): sums over its ledger rows.
    public struct Slice: Sendable, Hashable {
        public var tokensIn: Int = 0
        public var tokensOut: Int = 0
        public var requests: Int = 0
        /// Requests the gateway answered with a 5xx (upstream failures, timeouts, broken streams).
        public var errors: Int = 0
        /// Requests the client abandoned mid-way (499).
        public var cancelled: Int = 0

        public init() {}

        mutating func add(tokensIn: Int, tokensOut: Int, requests: Int, status: Int) {
            self.tokensIn += tokensIn
            self.tokensOut += tokensOut
            self.requests += requests
            if status >= 500 { errors += requests } else if status == 499 { cancelled += requests }
        }
    }

    /// Bucket start → sums; only buckets with rows appear (the caller fills the gaps).
    public var buckets: [Date: Slice] = [:]
    public var byModel: [String: Slice] = [:]
    public var byKey: [String: Slice] = [:]
    public var total = Slice()

    public init() {}
}
