/// Finds the highest concurrency that still meets an SLO: double from 1 until a level fails,
/// then bisect between the last passing and the first failing level.
///
/// Pure over `run`, so the algorithm is tested without a network. It assumes latency grows
/// with concurrency (monotone pass → fail); each level is run once, so noise near the
/// boundary can move the answer by one step, and the trials are reported so a reader can see it.
public enum CapacitySearch {
    /// One tried level and its outcome.
    public struct Trial<Outcome: Sendable>: Sendable {
        public var concurrency: Int
        public var outcome: Outcome
        public var passed: Bool
    }

    /// The answer: `best` is `nil` when even concurrency 1 fails.
    public struct Result<Outcome: Sendable>: Sendable {
        public var best: Int?
        public var trials: [Trial<Outcome>]
        /// True when `limit` itself passed, so the real capacity may be higher.
        public var hitLimit: Bool
    }

    /// - Parameters:
    ///   - limit: highest concurrency to try (≥ 1).
    ///   - run: runs one level and says whether it passed; returning `nil` stops the search
    ///     (interrupted), keeping what was learnt.
    public static func maxConcurrency<Outcome: Sendable>(
        limit: Int,
        run: (Int) async throws -> (outcome: Outcome, passed: Bool)?
    ) async rethrows -> Result<Outcome> {
        var trials: [Trial<Outcome>] = []
        var pass = 0
        var fail: Int?
        var level = 1
        let limit = max(1, limit)
        // Doubling phase.
        while true {
            guard let result = try await run(level) else { return Result(best: pass > 0 ? pass : nil, trials: trials, hitLimit: false) }
            trials.append(Trial(concurrency: level, outcome: result.outcome, passed: result.passed))
            if result.passed {
                pass = level
                if level >= limit { return Result(best: pass, trials: trials, hitLimit: true) }
                level = min(level * 2, limit)
            } else {
                fail = level
                break
            }
        }
        // Bisection phase: invariant pass < fail, pass passed (or is 0), fail failed.
        while let failing = fail, failing - pass > 1 {
            let mid = pass + (failing - pass) / 2
            guard let result = try await run(mid) else { break }
            trials.append(Trial(concurrency: mid, outcome: result.outcome, passed: result.passed))
            if result.passed { pass = mid } else { fail = mid }
        }
        return Result(best: pass > 0 ? pass : nil, trials: trials, hitLimit: false)
    }
}
