public import LoadTest

/// The `progress` of a running test (stored as JSON, at most once a second).
package struct LoadTestProgress: Codable, Equatable, Sendable {
    /// `c16`, `r50`, with ` (warm-up)` while warm-up requests run.
    package var level: String
    package var finished: Int
    package var errors: Int
    package var elapsedSeconds: Double
    package var ttftP50Ms: Double?
    /// The CLI's progress line: `c16 · 812/1000 · 3 errors · 41.2 req/s · TTFT p50 52.3 ms · 19.7 s`.
    package var line: String

    package init(_ snapshot: ProgressSnapshot) {
        level = snapshot.level.label + (snapshot.warmingUp ? " (warm-up)" : "")
        finished = snapshot.finished
        errors = snapshot.errors
        elapsedSeconds = snapshot.elapsedSeconds
        ttftP50Ms = snapshot.ttftP50Milliseconds
        line = snapshot.line
    }
}
