/// The batching model of a simulated vLLM engine: how TTFT and inter-token latency respond to
/// the number of requests it is running.
///
/// Below the knee the engine has spare compute and each request sees the base latencies; past it
/// both grow linearly with the batch (`factor = 1 + (running − knee) / knee`), which is the shape
/// of a real engine's capacity curve. Beyond `maxRunning` requests wait in a queue (their TTFT
/// includes the wait); a full queue answers 429. No noise: the same load gives the same latency,
/// so the server's own timings are the ground truth a load generator is checked against.
public struct InferenceProfile: Sendable, Equatable {
    /// TTFT of an empty prompt on an idle engine (seconds).
    public var ttftBaseSeconds: Double
    /// Prefill cost per prompt token (word) on an idle engine (seconds).
    public var prefillSecondsPerToken: Double
    /// Inter-token latency on an idle engine (seconds).
    public var itlSeconds: Double
    /// Running requests up to which latency stays at the base.
    public var knee: Int
    /// Requests decoded at once; more wait in the queue.
    public var maxRunning: Int
    /// Queue slots; a request arriving to a full queue gets 429.
    public var queueCapacity: Int
    /// KV-cache capacity in tokens (`vllm:kv_cache_usage_perc` = reserved tokens / capacity).
    public var kvCacheTokens: Int

    public init(ttftBaseSeconds: Double, prefillSecondsPerToken: Double, itlSeconds: Double, knee: Int,
                maxRunning: Int, queueCapacity: Int, kvCacheTokens: Int) {
        self.ttftBaseSeconds = ttftBaseSeconds
        self.prefillSecondsPerToken = prefillSecondsPerToken
        self.itlSeconds = itlSeconds
        self.knee = max(1, knee)
        self.maxRunning = max(1, maxRunning)
        self.queueCapacity = max(0, queueCapacity)
        self.kvCacheTokens = max(1, kvCacheTokens)
    }

    /// 30 ms + 20 µs/token TTFT, 10 ms ITL, knee 32 × GPUs, 128 × GPUs running, queue 512 × GPUs.
    public static func standard(gpuCount: Int) -> InferenceProfile {
        let gpus = max(1, gpuCount)
        return InferenceProfile(ttftBaseSeconds: 0.030, prefillSecondsPerToken: 0.000_02, itlSeconds: 0.010,
                                knee: 32 * gpus, maxRunning: 128 * gpus, queueCapacity: 512 * gpus,
                                kvCacheTokens: 400_000 * gpus)
    }

    /// Latency multiplier with `running` requests in the batch.
    public func loadFactor(running: Int) -> Double {
        running <= knee ? 1 : 1 + Double(running - knee) / Double(knee)
    }

    /// Modelled TTFT (seconds) of a prompt of `inputTokens` admitted with `running` in the batch.
    public func ttft(inputTokens: Int, running: Int) -> Double {
        (ttftBaseSeconds + prefillSecondsPerToken * Double(inputTokens)) * loadFactor(running: running)
    }

    /// Modelled inter-token latency (seconds) with `running` in the batch.
    public func itl(running: Int) -> Double {
        itlSeconds * loadFactor(running: running)
    }
}
