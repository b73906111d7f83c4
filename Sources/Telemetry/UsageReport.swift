import Foundation

/// What a consumer sees of its subscription: metered usage, latency, quota and one aggregate
/// number about the pool.
///
/// - Important: by construction this carries no node id, host name or GPU UUID: the only
///   hardware-derived value is `poolUtilisationPct`, an average over the whole pool. Consumers
///   draw on providers' hardware but never see it.
public struct UsageReport: Sendable, Hashable, Codable {
    public var pool: String
    /// The subscription's accounting period (`month`, `week`, `day`), the window of the totals.
    public var period: String
    /// Tokens sent to the model over the period; `nil` when the metering series are absent.
    public var tokensIn: Int?
    /// Tokens generated over the period; `nil` when the metering series are absent.
    public var tokensOut: Int?
    /// Requests over the period (every status code); `nil` when absent.
    public var requests: Int?
    /// Mean end-to-end latency over `latencyWindow`, seconds; `nil` without traffic.
    public var averageLatencySeconds: Double?
    /// 95th-percentile end-to-end latency over `latencyWindow` (histogram estimate), seconds.
    public var p95LatencySeconds: Double?
    /// The latency window as a Prometheus duration (`1h`).
    public var latencyWindow: String
    /// Tokens counted against the quota this period: input plus output.
    public var quotaUsed: Int?
    /// Tokens allowed per period (from the subscription); 0 means suspended.
    public var quotaLimit: Int
    /// Average GPU utilisation over the whole pool, percent; `nil` when unavailable.
    public var poolUtilisationPct: Double?

    public init(
        pool: String, period: String, tokensIn: Int? = nil, tokensOut: Int? = nil, requests: Int? = nil,
        averageLatencySeconds: Double? = nil, p95LatencySeconds: Double? = nil, latencyWindow: String = "1h",
        quotaUsed: Int? = nil, quotaLimit: Int, poolUtilisationPct: Double? = nil
    ) {
        self.pool = pool
        self.period = period
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.requests = requests
        self.averageLatencySeconds = averageLatencySeconds
        self.p95LatencySeconds = p95LatencySeconds
        self.latencyWindow = latencyWindow
        self.quotaUsed = quotaUsed
        self.quotaLimit = quotaLimit
        self.poolUtilisationPct = poolUtilisationPct
    }
}
