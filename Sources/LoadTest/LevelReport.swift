/// The measured result of one level, in AIPerf's vocabulary.
///
/// `metrics` is keyed by AIPerf metric tag (`time_to_first_token`, `inter_token_latency`,
/// `request_latency`, `output_token_throughput`, `request_throughput`, `goodput`, …), latencies
/// in milliseconds, so the JSON and CSV exports read like AIPerf's.
public struct LevelReport: Sendable, Codable, Equatable {
    public var level: Level
    /// Measured requests that finished (successes and errors; warm-up and cancelled excluded).
    public var requests: Int
    public var successes: Int
    /// Failed requests by kind (`RequestErrorKind` raw values).
    public var errors: [String: Int]
    /// Measurement window: first measured request start → last measured request end.
    public var durationSeconds: Double
    public var metrics: [String: MetricStats]
    /// Rate mode: actual start − scheduled start of each request (ms).
    public var scheduleLag: MetricStats?
    /// Rate mode: the generator could not keep to the schedule (see docs/LOADTEST.md).
    public var fellBehind: Bool
    /// Rate mode: requests actually started per second over the measurement window.
    public var achievedRate: Double?
    /// The run was stopped (SIGINT) before this level finished: the figures are partial.
    public var interrupted: Bool
    /// Per-target verdicts, when `--slo` was given.
    public var slo: [SLOVerdict]

    /// Errors / requests (0 when nothing ran).
    public var errorRate: Double { requests == 0 ? 0 : Double(requests - successes) / Double(requests) }

    /// True when every SLO target holds and at least one request succeeded.
    public var meetsSLO: Bool { successes > 0 && slo.allSatisfy(\.met) }
}

/// Whether one SLO target held at a level.
public struct SLOVerdict: Sendable, Codable, Equatable {
    public var target: String
    public var measuredMilliseconds: Double?
    public var met: Bool
}
