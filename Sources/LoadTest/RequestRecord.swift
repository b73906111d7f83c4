/// What the generator observed for one request, in `Stopwatch` nanoseconds.
///
/// Kept raw (times, not durations) so every metric is derived in one place (`LevelCollector`)
/// and documented once (docs/LOADTEST.md).
public struct RequestRecord: Sendable, Equatable {
    /// When the request was meant to start (rate mode); `nil` in concurrency mode.
    public var scheduled: UInt64?
    /// Just before the request was handed to the HTTP client.
    public var start: UInt64
    /// Timestamp of each SSE event that carried non-empty content, in arrival order.
    public var contentTimes: [UInt64] = []
    /// Timestamp of the last event (`[DONE]` or the usage chunk), or of the failure.
    public var end: UInt64
    /// Output tokens as reported by the server's `usage.completion_tokens`, if it sent usage.
    public var usageOutputTokens: Int?
    /// Input tokens the generator asked for (words of the synthetic prompt).
    public var inputTokens: Int
    /// Set when the request failed.
    public var error: RequestErrorKind?
    /// The run was stopped while this request was in flight; it counts nowhere.
    public var cancelled = false

    public init(scheduled: UInt64? = nil, start: UInt64, inputTokens: Int) {
        self.scheduled = scheduled
        self.start = start
        self.end = start
        self.inputTokens = inputTokens
    }

    /// First non-empty content event − start.
    public var timeToFirstToken: UInt64? { contentTimes.first.map { $0 &- start } }

    /// Output tokens: the server's usage when present, else one per content event (vLLM streams
    /// one token per chunk).
    public var outputTokens: Int { usageOutputTokens ?? contentTimes.count }

    /// end − start.
    public var latency: UInt64 { end &- start }

    /// AIPerf's inter-token latency: (latency − TTFT) / (output tokens − 1); `nil` below 2 tokens.
    public var interTokenLatency: Double? {
        guard let ttft = timeToFirstToken, outputTokens > 1, latency >= ttft else { return nil }
        return Double(latency - ttft) / Double(outputTokens - 1)
    }
}
