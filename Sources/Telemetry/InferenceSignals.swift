/// A node's inference golden signals, read from the vLLM series its server exports.
///
/// Each figure is `nil` when the series behind it is absent ("not collected", listed by name in
/// `notCollected`) — never 0, which would claim an idle server that may not exist. Latencies in
/// milliseconds, fractions as percentages, rates per second (preemptions per minute).
public struct InferenceSignals: Sendable, Hashable, Codable {
    /// The served model (`model_name` label), when the series carry one.
    public var model: String?
    public var ttftP95Ms: Double?
    public var ttftP99Ms: Double?
    /// Mean time per output token (inter-token latency) over 5 minutes.
    public var tpotMs: Double?
    public var requestsRunning: Double?
    public var requestsWaiting: Double?
    public var kvCachePct: Double?
    public var preemptionsPerMin: Double?
    public var prefixCacheHitPct: Double?
    public var promptTokensPerSec: Double?
    public var generationTokensPerSec: Double?
    /// Names of the figures above that no series backs. A figure that is `nil` but not listed
    /// here is collected and had nothing to measure in its window (no requests: no latency).
    public var notCollected: [String]

    public init(
        model: String? = nil, ttftP95Ms: Double? = nil, ttftP99Ms: Double? = nil, tpotMs: Double? = nil,
        requestsRunning: Double? = nil, requestsWaiting: Double? = nil, kvCachePct: Double? = nil,
        preemptionsPerMin: Double? = nil, prefixCacheHitPct: Double? = nil, promptTokensPerSec: Double? = nil,
        generationTokensPerSec: Double? = nil, notCollected: [String] = []
    ) {
        self.model = model
        self.ttftP95Ms = ttftP95Ms
        self.ttftP99Ms = ttftP99Ms
        self.tpotMs = tpotMs
        self.requestsRunning = requestsRunning
        self.requestsWaiting = requestsWaiting
        self.kvCachePct = kvCachePct
        self.preemptionsPerMin = preemptionsPerMin
        self.prefixCacheHitPct = prefixCacheHitPct
        self.promptTokensPerSec = promptTokensPerSec
        self.generationTokensPerSec = generationTokensPerSec
        self.notCollected = notCollected
    }
}
