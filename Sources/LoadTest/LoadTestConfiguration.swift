/// Everything one `aifactory loadtest` run needs; the CLI only fills this in.
public struct LoadTestConfiguration: Sendable {
    /// Server root or its `/v1` base (`http://127.0.0.1:9400/nodes/n1`).
    public var url: String
    public var model: String
    public var endpoint: Endpoint = .chat
    /// Sent as `Authorization: Bearer …` when set.
    public var apiKey: String?
    /// Levels of a sweep, run in order (ignored by the capacity search, which picks its own).
    public var levels: [Level]
    /// Measured requests per level; with `duration` too, whichever ends first.
    public var requests: Int?
    /// Measurement time per level (new requests stop; in-flight ones finish).
    public var duration: Duration?
    /// Requests sent before measuring, excluded from every figure; `nil` = one per worker
    /// (concurrency) or one second of arrivals capped at 100 (rate).
    public var warmupRequests: Int?
    /// Prompt length in words (the simulator's token).
    public var inputTokens: Int
    /// `max_tokens` = `min_tokens`.
    public var outputTokens: Int
    /// Seeds prompts and Poisson arrivals.
    public var seed: UInt64 = 0
    public var slo: [SLO] = []
    public var requestTimeout: Duration = .seconds(600)
    /// The address `OutboundPolicy` approved for the URL's host; every connection goes there
    /// (the host still names `Host` and TLS). `nil`: the host is resolved as usual (the CLI).
    public var pinnedAddress: PinnedAddress?
    /// Most requests in flight at once, whatever the level asks (rate mode otherwise opens a
    /// socket per arrival against an endpoint that never answers). `nil`: no cap (the CLI).
    public var maxInFlight: Int?

    public init(url: String, model: String, levels: [Level], inputTokens: Int, outputTokens: Int) {
        self.url = url
        self.model = model
        self.levels = levels
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    /// Measured requests when neither `requests` nor `duration` is set: ten rounds of the level,
    /// at least 100.
    func defaultRequests(for level: Level) -> Int {
        switch level {
        case .concurrency(let n): max(100, 10 * n)
        case .rate(let r, _): max(100, Int((10 * r).rounded()))
        }
    }

    func warmup(for level: Level) -> Int {
        if let warmupRequests { return warmupRequests }
        switch level {
        case .concurrency(let n): return n
        case .rate(let r, _): return min(100, max(1, Int(r.rounded())))
        }
    }
}
