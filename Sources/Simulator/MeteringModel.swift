import Foundation

/// Usage of one consumer subscription over time: requests, tokens and latency as pure functions
/// of the seed and the elapsed time.
///
/// Request counts are integrals of a `LoadCurve`, so every counter is exact at any `t` and never
/// decreases; each status code and token direction is `floor(fraction × continuous total)`, which
/// is monotonic on its own. The latency histogram is `floor(count × CDF(le))` as in `VLLMModel`,
/// so buckets are cumulative and `+Inf` equals `_count`.
struct MeteringModel: Sendable {
    let consumer: MeteringConsumer
    let load: LoadCurve
    /// Requests per second at full load.
    let requestsPerSecond: Double
    /// Requests served before the simulation started (the subscription has history).
    let baseRequests: Double
    let inputTokensPerRequest: Double
    let outputTokensPerRequest: Double
    let latency: VLLMModel.Distribution

    /// Share of requests per status code; each is floored separately, so each stays monotonic.
    static let codes: [(code: String, share: Double)] = [("200", 0.97), ("429", 0.02), ("500", 0.01)]
    static let latencyBounds = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0]

    init(consumer: MeteringConsumer, seed: UInt64) {
        var hash = SeedHash(seed, "metering", consumer.tenant, consumer.pool)
        self.consumer = consumer
        load = LoadCurve(initial: .wave, changes: [], hash: hash.with(1))
        requestsPerSecond = hash.uniform(0.5...3.0)
        baseRequests = hash.uniform(200...4_000).rounded()
        inputTokensPerRequest = hash.uniform(300...900).rounded()
        outputTokensPerRequest = hash.uniform(120...400).rounded()
        latency = VLLMModel.Distribution(median: hash.uniform(0.6...1.8), sigma: 0.6, bounds: Self.latencyBounds)
    }

    /// Continuous request total at `t` (not yet floored).
    func served(at t: Double) -> Double {
        baseRequests + requestsPerSecond * load.integral(from: 0, to: max(t, 0))
    }

    func reading(at t: Double) -> MeteringReading {
        let total = served(at: t)
        return MeteringReading(
            requests: total.rounded(.down),
            byCode: Self.codes.map { ($0.code, (total * $0.share).rounded(.down)) },
            inputTokens: (total * inputTokensPerRequest).rounded(.down),
            outputTokens: (total * outputTokensPerRequest).rounded(.down)
        )
    }
}

/// What the gateway reports for one subscription at one instant.
struct MeteringReading: Sendable {
    var requests: Double
    var byCode: [(code: String, value: Double)]
    var inputTokens: Double
    var outputTokens: Double
}
