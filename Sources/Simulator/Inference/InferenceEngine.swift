/// The live state of one node's simulated vLLM engine: batch slots, the waiting queue, the
/// KV-cache reservation, counters and the server-side timings of every served request.
///
/// An actor: request handlers on any thread admit and finish through it. Timing itself (the
/// sleeps between tokens) happens in the handlers, outside the actor.
public actor InferenceEngine {
    public nonisolated let node: String
    public nonisolated let model: String
    public nonisolated let profile: InferenceProfile
    private var running = 0
    private var queue: [CheckedContinuation<Void, Never>] = []
    private var reservedTokens = 0
    private var traffic = VLLMLiveTraffic()
    private var timings: [InferenceTiming] = []
    private var rejected = 0
    private var nextID = 0
    /// Most timings kept for `/v1/stats` percentiles (oldest dropped first).
    static let timingCapacity = 200_000

    public init(node: String, model: String, profile: InferenceProfile) {
        self.node = node
        self.model = model
        self.profile = profile
    }

    /// A batch slot held by one request.
    struct Admission: Sendable {
        var id: String
        /// Requests running (this one included) when it got its slot.
        var running: Int
    }

    /// Waits for a batch slot (queueing when the batch is full); `nil` when the queue is full (429).
    func admit(inputTokens: Int, outputTokens: Int, prefix: String) async -> Admission? {
        nextID += 1
        let id = "\(prefix)-\(nextID)"
        if running < profile.maxRunning {
            running += 1
        } else if queue.count < profile.queueCapacity {
            // `finish` hands its slot over without decrementing `running`.
            await withCheckedContinuation { queue.append($0) }
        } else {
            rejected += 1
            return nil
        }
        reservedTokens += inputTokens + outputTokens
        traffic.promptTokens += Double(inputTokens)
        return Admission(id: id, running: running)
    }

    /// Returns the slot (to the next queued request, if any) and records the request's timing.
    func finish(inputTokens: Int, outputTokens: Int, timing: InferenceTiming?, generated: Int) {
        if queue.isEmpty {
            running -= 1
        } else {
            queue.removeFirst().resume()
        }
        reservedTokens -= inputTokens + outputTokens
        traffic.generationTokens += Double(generated)
        guard let timing else {
            traffic.aborted += 1
            return
        }
        traffic.finishedLength += 1
        traffic.ttft.observe(timing.ttft_ms / 1000)
        traffic.e2e.observe(timing.e2e_ms / 1000)
        if let itl = timing.itl_ms { traffic.itl.observe(itl / 1000) }
        if timings.count >= Self.timingCapacity { timings.removeFirst(timings.count / 10) }
        timings.append(timing)
    }

    /// Gauges and counters for the vLLM exposition.
    func liveTraffic() -> VLLMLiveTraffic {
        var snapshot = traffic
        snapshot.running = Double(running)
        snapshot.waiting = Double(queue.count)
        snapshot.kvCacheUsage = min(1, Double(reservedTokens) / Double(profile.kvCacheTokens))
        return snapshot
    }

    /// `GET /v1/stats`.
    public func stats() -> InferenceStats {
        InferenceStats(
            node: node, model: model, requests: timings.count, rejected: rejected, running: running, waiting: queue.count,
            kv_cache_usage: min(1, Double(reservedTokens) / Double(profile.kvCacheTokens)),
            ttft_ms: InferencePercentiles(timings.map(\.ttft_ms)),
            itl_ms: InferencePercentiles(timings.compactMap(\.itl_ms)),
            e2e_ms: InferencePercentiles(timings.map(\.e2e_ms)),
            recent: Array(timings.suffix(100)))
    }

    /// `DELETE /v1/stats`: forgets the recorded timings and the 429 count (counters in the vLLM
    /// exposition keep growing, as Prometheus counters must).
    public func resetStats() {
        timings.removeAll()
        rejected = 0
    }
}
