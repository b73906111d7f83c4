/// A Prometheus histogram of live (load-test) observations, added on top of the modelled one.
///
/// Counts are per bucket (not cumulative); the renderer accumulates them bucket by bucket.
struct LiveHistogram: Sendable, Equatable {
    let bounds: [Double]
    private(set) var counts: [Double]
    private(set) var count = 0.0
    private(set) var sum = 0.0

    init(bounds: [Double]) {
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count)
    }

    mutating func observe(_ value: Double) {
        count += 1
        sum += value
        if let index = bounds.firstIndex(where: { value <= $0 }) { counts[index] += 1 }
    }

    /// Cumulative count for bucket `index` (observations ≤ `bounds[index]`).
    func cumulative(through index: Int) -> Double {
        counts[...index].reduce(0, +)
    }
}

/// What the inference endpoints of one node have served, for the vLLM exposition.
struct VLLMLiveTraffic: Sendable, Equatable {
    var running = 0.0
    var waiting = 0.0
    var kvCacheUsage = 0.0
    var promptTokens = 0.0
    var generationTokens = 0.0
    var finishedLength = 0.0
    var aborted = 0.0
    var ttft = LiveHistogram(bounds: VLLMModel.ttftBounds)
    var itl = LiveHistogram(bounds: VLLMModel.itlBounds)
    var e2e = LiveHistogram(bounds: VLLMModel.e2eBounds)
}
