import Foundation

/// The vLLM engine of one node: request and token counters as integrals of the node's load,
/// latency histograms as fixed distributions scaled by the request count.
///
/// Each histogram bucket is `floor(count × CDF(le))`: it never decreases over time, never exceeds
/// the next bucket, and the `+Inf` bucket equals `_count`, as Prometheus requires.
struct VLLMModel: Sendable {
    /// A latency distribution (log-normal) with its bucket bounds.
    struct Distribution: Sendable {
        var bounds: [Double]
        /// CDF at each bound.
        var cdf: [Double]
        var mean: Double

        init(median: Double, sigma: Double, bounds: [Double]) {
            self.bounds = bounds
            cdf = bounds.map { bound in 0.5 * erfc(-(log(bound) - log(median)) / (sigma * 2.0.squareRoot())) }
            mean = median * exp(sigma * sigma / 2)
        }
    }

    let model: String
    /// Completed requests per second at full utilisation.
    let requestsPerSecond: Double
    /// Requests served before the simulation started (the engine has history).
    let baseRequests: Double
    let promptTokensPerRequest = 640.0
    let generationTokensPerRequest = 220.0
    let maxBatch: Double
    let ttft: Distribution
    let itl: Distribution
    let e2e: Distribution

    static let ttftBounds = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0]
    static let itlBounds = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0]
    static let e2eBounds = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0]

    init(model: String, gpuCount: Int, physics: BoardPhysics, hash: SeedHash) {
        var hash = hash
        self.model = model
        requestsPerSecond = physics.requestsPerSecond * Double(gpuCount)
        baseRequests = hash.uniform(1_500...25_000).rounded()
        maxBatch = Double(16 * gpuCount)
        ttft = Distribution(median: physics.ttftMedian, sigma: 0.8, bounds: Self.ttftBounds)
        itl = Distribution(median: physics.itlMedian, sigma: 0.45, bounds: Self.itlBounds)
        e2e = Distribution(median: physics.ttftMedian + 220 * physics.itlMedian, sigma: 0.6, bounds: Self.e2eBounds)
    }

    /// Counter and gauge values at `t`, given the node's load.
    func reading(at t: Double, load: LoadCurve) -> VLLMReading {
        let util = load.utilization(at: t)
        let served = requestsPerSecond * load.integral(from: 0, to: max(t, 0))
        var r = VLLMReading()
        r.requests = (baseRequests + served).rounded(.down)
        r.promptTokens = ((baseRequests + served) * promptTokensPerRequest).rounded(.down)
        r.generationTokens = ((baseRequests + served) * generationTokensPerRequest).rounded(.down)
        r.running = (util * maxBatch).rounded()
        r.waiting = util > 0.85 ? ((util - 0.85) * maxBatch * 4).rounded() : 0
        r.kvCacheUsage = util == 0 ? 0 : ((0.04 + 0.88 * util) * 10_000).rounded() / 10_000
        r.preemptions = (r.requests * 0.002).rounded(.down)
        r.prefixQueries = r.promptTokens
        r.prefixHits = (r.promptTokens * 0.38).rounded(.down)
        r.stop = (r.requests * 0.86).rounded(.down)
        r.length = (r.requests * 0.13).rounded(.down)
        r.abort = (r.requests * 0.008).rounded(.down)
        r.error = 0
        return r
    }
}

/// What one vLLM engine reports at one instant.
struct VLLMReading: Sendable {
    var running = 0.0
    var waiting = 0.0
    var kvCacheUsage = 0.0
    var requests = 0.0
    var promptTokens = 0.0
    var generationTokens = 0.0
    var preemptions = 0.0
    var prefixQueries = 0.0
    var prefixHits = 0.0
    var stop = 0.0
    var length = 0.0
    var abort = 0.0
    var error = 0.0
    /// Traffic served by the node's inference endpoints, added on top of the modelled engine.
    var live = VLLMLiveTraffic()
}
