import LoadTest

/// What a test produced so far (stored as JSON in `load_tests.result`): the completed levels and,
/// for a search, its outcome.
struct LoadTestResult: Codable, Equatable, Sendable {
    /// The model that was tested (the named one, or the first the endpoint served).
    var model: String?
    var levels: [LevelJSON] = []
    var search: SearchJSON?
}

/// A `LevelReport` as the API shows it: every field of the report plus `label` (`c4`, `r50`).
struct LevelJSON: Codable, Equatable, Sendable {
    var label: String
    var report: LevelReport

    init(_ report: LevelReport) {
        self.label = report.level.label
        self.report = report
    }

    private enum Keys: String, CodingKey { case label }

    init(from decoder: any Decoder) throws {
        report = try LevelReport(from: decoder)
        label = try decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .label)
    }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(label, forKey: .label)
    }
}

/// The outcome of `search: "max-concurrency-under-slo"`.
struct SearchJSON: Codable, Equatable, Sendable {
    var goal: String
    /// Highest concurrency that met every SLO target; `nil` when none did (or none finished).
    var maxConcurrency: Int?
    /// The search passed at `limit`: capacity may be higher.
    var hitLimit: Bool
    var limit: Int
    /// Every level tried, in order.
    var trials: [Trial]

    struct Trial: Codable, Equatable, Sendable {
        var concurrency: Int
        var passed: Bool
    }
}
