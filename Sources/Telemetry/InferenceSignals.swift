/// A node's inference golden signals, read from the vLLM series its server exports.
///
/// Each figure is `nil` when the series behind it is absent ("not collected", listed by name in
/// `notCollected`) — never 0, which would claim an idle server that may not exist. Latencies in
/// milliseconds, fractions as percentages, rates per second (preemptions per minute).
public struct InferenceSignals: Sendable, Hashable, Codable {
    /// The success rate of one served model over 5 minutes.
    ///
    /// The same definition as the `VLLMRequestSuccessRateLow` alert and the availability burn
    /// rate: requests that finished with `finished_reason` `abort` or `error` failed, every other
    /// finished request (`stop`, `length`, …) succeeded, all read from `vllm:request_success_total`.
    public struct ModelSuccess: Sendable, Hashable, Codable {
        /// The `model_name` label ("" when the series carry none).
        public var model: String
        /// Share of finished requests that did not end in `abort` or `error`; `nil` when the
        /// model finished no request in the window (nothing to measure), never 100.
        public var successPct: Double?
        /// Finished requests per second, every `finished_reason` together.
        public var requestsPerSec: Double

        public init(model: String, successPct: Double?, requestsPerSec: Double) {
            self.model = model
            self.successPct = successPct
            self.requestsPerSec = requestsPerSec
        }
    }

    /// The served model (`model_name` label), when the series carry one.
    public var model: String?
    public var ttftP95Ms: Double?
    public var ttftP99Ms: Double?
    /// Share of the requests of the last 5 minutes whose TTFT exceeded ``ttftObjectiveMs``.
    public var ttftOverObjectivePct: Double?
    /// The TTFT objective the `VLLMTTFTBudgetBurn` alert holds requests to (a setting, not a
    /// reading: always present).
    public var ttftObjectiveMs: Double
    /// Mean time per output token (inter-token latency) over 5 minutes.
    public var tpotMs: Double?
    /// 99th percentile of the inter-token latency (time per output token) over 5 minutes.
    public var itlP99Ms: Double?
    public var requestsRunning: Double?
    public var requestsWaiting: Double?
    public var kvCachePct: Double?
    public var preemptionsPerMin: Double?
    public var prefixCacheHitPct: Double?
    public var promptTokensPerSec: Double?
    public var generationTokensPerSec: Double?
    /// ``generationTokensPerSec`` divided by the node's GPU count; `nil` also when the count is
    /// not known to the reader.
    public var generationTokensPerSecPerGPU: Double?
    /// Success rate per served model, sorted by model; `nil` when `vllm:request_success_total`
    /// is not exported, empty when it is but carries no model.
    public var successByModel: [ModelSuccess]?
    /// Names of the figures above that no series backs. A figure that is `nil` but not listed
    /// here is collected and had nothing to measure in its window (no requests: no latency).
    public var notCollected: [String]

    /// The TTFT objective of the standard alert rules, in milliseconds (`le="2.5"`).
    public static let defaultTTFTObjectiveMs: Double = 2500

    public init(
        model: String? = nil, ttftP95Ms: Double? = nil, ttftP99Ms: Double? = nil,
        ttftOverObjectivePct: Double? = nil, ttftObjectiveMs: Double = InferenceSignals.defaultTTFTObjectiveMs,
        tpotMs: Double? = nil, itlP99Ms: Double? = nil,
        requestsRunning: Double? = nil, requestsWaiting: Double? = nil, kvCachePct: Double? = nil,
        preemptionsPerMin: Double? = nil, prefixCacheHitPct: Double? = nil, promptTokensPerSec: Double? = nil,
        generationTokensPerSec: Double? = nil, generationTokensPerSecPerGPU: Double? = nil,
        successByModel: [ModelSuccess]? = nil, notCollected: [String] = []
    ) {
        self.model = model
        self.ttftP95Ms = ttftP95Ms
        self.ttftP99Ms = ttftP99Ms
        self.ttftOverObjectivePct = ttftOverObjectivePct
        self.ttftObjectiveMs = ttftObjectiveMs
        self.tpotMs = tpotMs
        self.itlP99Ms = itlP99Ms
        self.requestsRunning = requestsRunning
        self.requestsWaiting = requestsWaiting
        self.kvCachePct = kvCachePct
        self.preemptionsPerMin = preemptionsPerMin
        self.prefixCacheHitPct = prefixCacheHitPct
        self.promptTokensPerSec = promptTokensPerSec
        self.generationTokensPerSec = generationTokensPerSec
        self.generationTokensPerSecPerGPU = generationTokensPerSecPerGPU
        self.successByModel = successByModel
        self.notCollected = notCollected
    }
}
