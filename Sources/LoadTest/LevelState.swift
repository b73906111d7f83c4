/// The tally of one running phase: hands out request numbers, collects results, answers
/// progress snapshots.
///
/// A plain value owned by `PhaseDriver` and touched only on its event loop, where every request
/// is started and finished (no actor hop per request).
struct LevelState: Sendable {
    private(set) var collector: LevelCollector
    private var issued = 0
    private var finished = 0
    private var errors = 0
    private let limit: Int?
    private let endNanos: UInt64?
    private var firstStart: UInt64 = .max
    private var lastStart: UInt64 = 0

    init(slo: [SLO], limit: Int?, endNanos: UInt64?) {
        collector = LevelCollector(slo: slo)
        self.limit = limit
        self.endNanos = endNanos
    }

    /// The next request number, or `nil` when the count or the time is used up.
    mutating func take(now: UInt64) -> Int? {
        if let limit, issued >= limit { return nil }
        if let endNanos, now >= endNanos { return nil }
        issued += 1
        return issued - 1
    }

    mutating func add(_ record: RequestRecord) {
        guard !record.cancelled else { return }
        finished += 1
        if record.error != nil { errors += 1 }
        firstStart = min(firstStart, record.start)
        lastStart = max(lastStart, record.start)
        collector.add(record)
    }

    /// Requests started per second between the first and the last start.
    var achievedRate: Double? {
        guard finished > 1, lastStart > firstStart else { return nil }
        return Double(finished - 1) / (Double(lastStart - firstStart) / 1e9)
    }

    func progress(level: Level, warmingUp: Bool, target: Int?, elapsedSeconds: Double) -> ProgressSnapshot {
        ProgressSnapshot(level: level, warmingUp: warmingUp, finished: finished, errors: errors, target: target,
                         elapsedSeconds: elapsedSeconds, ttftP50Milliseconds: collector.ttft.value(atPercentile: 50))
    }
}
