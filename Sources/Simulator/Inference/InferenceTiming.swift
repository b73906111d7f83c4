/// The server-side truth of one served request (milliseconds), as `/v1/stats` reports it.
///
/// TTFT runs from the handler receiving the request to the first token event being handed to
/// the connection; ITL is (last token − first token) / (tokens − 1), AIPerf's definition.
public struct InferenceTiming: Sendable, Codable, Equatable {
    public var id: String
    public var ttft_ms: Double
    public var itl_ms: Double?
    public var e2e_ms: Double
    public var queue_ms: Double
    public var input_tokens: Int
    public var output_tokens: Int
}

/// Percentiles of one server-side timing over the recorded requests.
public struct InferencePercentiles: Sendable, Codable, Equatable {
    public var count: Int
    public var mean: Double
    public var min: Double
    public var p50: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double
    public var max: Double

    /// Nearest-rank percentiles of `values` (`nil` when empty).
    init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        func rank(_ p: Double) -> Double {
            let index = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.min(sorted.count - 1, Swift.max(0, index))]
        }
        count = sorted.count
        mean = sorted.reduce(0, +) / Double(sorted.count)
        min = sorted[0]
        max = sorted[sorted.count - 1]
        p50 = rank(50)
        p90 = rank(90)
        p95 = rank(95)
        p99 = rank(99)
    }
}

/// `GET /nodes/<node>/v1/stats`.
public struct InferenceStats: Sendable, Codable, Equatable {
    public var node: String
    public var model: String
    /// Requests finished since the last reset (all of them, not only `recent`).
    public var requests: Int
    public var rejected: Int
    public var running: Int
    public var waiting: Int
    public var kv_cache_usage: Double
    public var ttft_ms: InferencePercentiles?
    public var itl_ms: InferencePercentiles?
    public var e2e_ms: InferencePercentiles?
    /// The last 100 requests, newest last.
    public var recent: [InferenceTiming]
}
