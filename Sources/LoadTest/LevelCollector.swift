/// Folds finished requests into HDR histograms as they arrive, so memory stays constant however
/// long a level runs, and answers progress snapshots while it runs.
///
/// Definitions (docs/LOADTEST.md): TTFT = first non-empty content event − start; request
/// latency = last event − start; inter-token latency = (latency − TTFT) / (output tokens − 1);
/// inter-chunk latency = gaps between consecutive content events; goodput counts requests whose
/// own TTFT, ITL and latency are within every SLO threshold.
struct LevelCollector: Sendable {
    private(set) var ttft = MetricHistogram(unit: "ms", scale: 1e6)
    private(set) var itl = MetricHistogram(unit: "ms", scale: 1e6)
    private(set) var interChunk = MetricHistogram(unit: "ms", scale: 1e6)
    private(set) var latency = MetricHistogram(unit: "ms", scale: 1e6)
    private(set) var outputLength = MetricHistogram(unit: "tokens", scale: 1)
    private(set) var inputLength = MetricHistogram(unit: "tokens", scale: 1)
    private(set) var perUserThroughput = MetricHistogram(unit: "tokens/sec/user", scale: 1000)
    private(set) var lag = MetricHistogram(unit: "ms", scale: 1e6)
    private(set) var errors: [RequestErrorKind: Int] = [:]
    private(set) var requests = 0
    private(set) var successes = 0
    private(set) var good = 0
    private(set) var outputTokens = 0
    private(set) var firstStart: UInt64 = .max
    private(set) var lastEnd: UInt64 = 0
    let slo: [SLO]

    init(slo: [SLO]) {
        self.slo = slo
    }

    mutating func add(_ record: RequestRecord) {
        guard !record.cancelled else { return }
        requests += 1
        firstStart = min(firstStart, record.start)
        lastEnd = max(lastEnd, record.end)
        if let scheduled = record.scheduled { lag.record(record.start > scheduled ? record.start - scheduled : 0) }
        if let error = record.error {
            errors[error, default: 0] += 1
            return
        }
        guard let ttftNanos = record.timeToFirstToken else {
            // 200 with [DONE] but no content: a stream that produced nothing is not a success.
            errors[.midStreamDisconnect, default: 0] += 1
            return
        }
        successes += 1
        let tokens = record.outputTokens
        outputTokens += tokens
        ttft.record(ttftNanos)
        latency.record(record.latency)
        outputLength.record(UInt64(max(0, tokens)))
        inputLength.record(UInt64(max(0, record.inputTokens)))
        var previous: UInt64?
        for time in record.contentTimes {
            if let previous { interChunk.record(time >= previous ? time - previous : 0) }
            previous = time
        }
        let itlNanos = record.interTokenLatency
        if let itlNanos {
            itl.record(UInt64(itlNanos.rounded()))
            // tokens per second per user, recorded in milli-tokens for resolution
            perUserThroughput.record(UInt64((1e12 / max(itlNanos, 1)).rounded()))
        }
        if meetsEverySLO(ttft: Double(ttftNanos) / 1e6, itl: itlNanos.map { $0 / 1e6 }, latency: Double(record.latency) / 1e6) {
            good += 1
        }
    }

    private func meetsEverySLO(ttft: Double, itl: Double?, latency: Double) -> Bool {
        for target in slo {
            let value: Double
            switch target.metric {
            case .ttft: value = ttft
            case .tpot: value = itl ?? 0
            case .e2e: value = latency
            }
            if value > target.thresholdMilliseconds { return false }
        }
        return true
    }

    /// Seconds from the first measured start to the last measured end.
    var durationSeconds: Double {
        lastEnd > firstStart ? Double(lastEnd - firstStart) / 1e9 : 0
    }

    /// The report for `level`; `fellBehind` is decided by the caller from the schedule.
    func report(level: Level, interrupted: Bool, achievedRate: Double?, fellBehind: Bool) -> LevelReport {
        var metrics: [String: MetricStats] = [:]
        metrics["time_to_first_token"] = ttft.stats
        metrics["inter_token_latency"] = itl.stats
        metrics["inter_chunk_latency"] = interChunk.stats
        metrics["request_latency"] = latency.stats
        metrics["output_sequence_length"] = outputLength.stats
        metrics["input_sequence_length"] = inputLength.stats
        metrics["output_token_throughput_per_user"] = perUserThroughput.stats
        let duration = durationSeconds
        if duration > 0 {
            metrics["output_token_throughput"] = .scalar(Double(outputTokens) / duration, unit: "tokens/sec")
            metrics["request_throughput"] = .scalar(Double(successes) / duration, unit: "requests/sec")
            if !slo.isEmpty { metrics["goodput"] = .scalar(Double(good) / duration, unit: "requests/sec") }
        }
        metrics["request_count"] = .scalar(Double(successes), unit: "requests")
        metrics["error_request_count"] = .scalar(Double(requests - successes), unit: "requests")
        metrics["benchmark_duration"] = .scalar(duration, unit: "sec")
        let verdicts = slo.map { target in
            let measured = metrics[target.metric.tag]?.value(atPercentile: target.percentile)
            return SLOVerdict(target: target.description, measuredMilliseconds: measured,
                              met: measured.map { $0 <= target.thresholdMilliseconds } ?? false)
        }
        return LevelReport(
            level: level, requests: requests, successes: successes,
            errors: Dictionary(uniqueKeysWithValues: errors.map { ($0.key.rawValue, $0.value) }),
            durationSeconds: duration, metrics: metrics, scheduleLag: lag.stats, fellBehind: fellBehind,
            achievedRate: achievedRate, interrupted: interrupted, slo: verdicts)
    }
}
