import Foundation
import LoadTest
import Store

/// What a running test reported so far, filled from the runner's callbacks (any task) and read
/// by the persisting loop; `pendingUpdate` returns only what changed since the last call.
final class LoadTestCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: LoadTestProgress?
    private var result = LoadTestResult()
    private var dirty = false
    private var finished = false

    /// Set once the runner returned: the periodic writer stops.
    var isFinished: Bool { lock.withLock { finished } }

    func markFinished() {
        lock.withLock { finished = true }
    }

    func progress(_ snapshot: ProgressSnapshot) {
        lock.withLock {
            latest = LoadTestProgress(snapshot)
            dirty = true
        }
    }

    func level(_ report: LevelReport) {
        lock.withLock {
            result.levels.append(LevelJSON(report))
            dirty = true
        }
    }

    func model(_ name: String) {
        lock.withLock {
            result.model = name
            dirty = true
        }
    }

    /// Replaces the levels with the runner's final answer and adds the search outcome.
    func finish(_ outcome: LoadTestOutcome, searchLimit: Int) {
        lock.withLock {
            result.levels = outcome.levels.map(LevelJSON.init)
            result.search = outcome.search.map { search in
                SearchJSON(goal: SearchGoal.maxConcurrencyUnderSLO.rawValue, maxConcurrency: search.best, hitLimit: search.hitLimit,
                           limit: searchLimit, trials: search.trials.map { .init(concurrency: $0.concurrency, passed: $0.passed) })
            }
        }
    }

    func pendingUpdate() -> LoadTestUpdate? {
        lock.withLock {
            guard dirty else { return nil }
            dirty = false
            return LoadTestUpdate(progress: latest.flatMap { LoadTestCoding.text($0) }, result: LoadTestCoding.text(result))
        }
    }

    func resultJSON() -> String? { lock.withLock { LoadTestCoding.text(result) } }
    func progressJSON() -> String? { lock.withLock { latest.flatMap { LoadTestCoding.text($0) } } }
}

/// JSON for the stored plan, progress and result: sorted keys, and non-finite numbers (a
/// statistic of nothing) as strings instead of failing.
package enum LoadTestCoding {
    package static func text(_ value: some Encodable) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) }
    }

    package static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try? decoder.decode(type, from: Data(text.utf8))
    }
}
