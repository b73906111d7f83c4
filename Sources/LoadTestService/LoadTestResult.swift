public import LoadTest

/// What a test produced so far (stored as JSON in `load_tests.result`): the completed levels and,
/// for a search, its outcome.
package struct LoadTestResult: Codable, Equatable, Sendable {
    /// The model that was tested (the named one, or the first the endpoint served).
    package var model: String?
    package var levels: [LevelJSON] = []
    package var search: SearchJSON?
}

/// A `LevelReport` as the API shows it: every field of the report plus `label` (`c4`, `r50`).
package struct LevelJSON: Codable, Equatable, Sendable {
    package var label: String
    package var report: LevelReport

    package init(_ report: LevelReport) {
        self.label = report.level.label
        self.report = report
    }

    private enum Keys: String, CodingKey { case label }

    package init(from decoder: any Decoder) throws {
        report = try LevelReport(from: decoder)
        label = try decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .label)
    }

    package func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(label, forKey: .label)
    }
}

/// The outcome of `search: "max-concurrency-under-slo"`.
package struct SearchJSON: Codable, Equatable, Sendable {
    package var goal: String
    /// Highest concurrency that met every SLO target; `nil` when none did (or none finished).
    package var maxConcurrency: Int?
    /// The search passed at `limit`: capacity may be higher.
    package var hitLimit: Bool
    package var limit: Int
    /// Every level tried, in order.
    package var trials: [Trial]

    package struct Trial: Codable, Equatable, Sendable {
        package var concurrency: Int
        package var passed: Bool
    }
}
