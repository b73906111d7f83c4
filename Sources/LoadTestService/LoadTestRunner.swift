import Foundation
public import LoadTest

/// What the manager asks a runner to do: one stored test, with its validated configuration.
public struct LoadTestJob: Sendable {
    public var id: String
    public var configuration: LoadTestConfiguration
    /// `false` when the caller named no model: the runner asks the endpoint's `/v1/models`.
    public var modelGiven: Bool
    public var search: SearchGoal?
    public var searchLimit: Int
    /// Which addresses the runner may connect to (set by the manager from `serve --allow-targets`).
    public var outbound = OutboundPolicy()

    public init(
        id: String, configuration: LoadTestConfiguration, modelGiven: Bool, search: SearchGoal? = nil, searchLimit: Int,
        outbound: OutboundPolicy = OutboundPolicy()
    ) {
        self.id = id
        self.configuration = configuration
        self.modelGiven = modelGiven
        self.search = search
        self.searchLimit = searchLimit
        self.outbound = outbound
    }
}

/// Callbacks a runner reports through while it works; both may be called from any task.
public struct LoadTestEvents: Sendable {
    /// About once a second (the manager persists at most once a second).
    public var progress: @Sendable (ProgressSnapshot) -> Void
    /// Each time a level completes (also each search trial).
    public var level: @Sendable (LevelReport) -> Void
    /// Once the model to test is known.
    public var model: @Sendable (String) -> Void
}

/// What a finished run produced.
public struct LoadTestOutcome: Sendable {
    public var levels: [LevelReport]
    /// For a search: the best concurrency, whether the limit was hit, and the trials.
    public var search: CapacitySearch.Result<LevelReport>?

    public init(levels: [LevelReport], search: CapacitySearch.Result<LevelReport>? = nil) {
        self.levels = levels
        self.search = search
    }
}

/// Runs one load test until it ends or `stop` is triggered. Injectable so route tests run a
/// scripted runner instead of real HTTP load; the product uses `.generator`.
///
/// A runner returns what it completed when stopped (the level in flight marked `interrupted`);
/// it throws only when the test cannot run at all (the message is shown to the caller, so it must
/// not carry URLs or internals).
public struct LoadTestRunner: Sendable {
    public var run: @Sendable (LoadTestJob, StopSignal, LoadTestEvents) async throws -> LoadTestOutcome

    public init(run: @escaping @Sendable (LoadTestJob, StopSignal, LoadTestEvents) async throws -> LoadTestOutcome) {
        self.run = run
    }

    /// The real thing: `LoadGenerator` against the node's OpenAI endpoint.
    ///
    /// The endpoint's host is resolved once and checked against `job.outbound`; model discovery
    /// and every load request then connect to that address only, and never follow a redirect.
    public static let generator = LoadTestRunner { job, stop, events in
        var configuration = job.configuration
        guard let url = URL(string: configuration.url), let host = url.host, !host.isEmpty else {
            throw LoadTestError.invalidFlag(flag: "--url", message: "the node's endpoint is not a valid URL")
        }
        let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
        let pinned = try await job.outbound.resolve(host: host, port: port)
        configuration.pinnedAddress = pinned
        if !job.modelGiven {
            configuration.model = try await ServedModels.first(base: configuration.url, pinned: pinned)
        }
        events.model(configuration.model)
        let generator = LoadGenerator(configuration: configuration)
        let outcome: LoadTestOutcome
        if job.search != nil {
            let result = await CapacitySearch.maxConcurrency(limit: job.searchLimit) { (concurrency: Int) -> (outcome: LevelReport, passed: Bool)? in
                let report = await generator.run(level: .concurrency(concurrency), stop: stop, progress: events.progress)
                events.level(report)
                return report.interrupted ? nil : (report, report.meetsSLO)
            }
            outcome = LoadTestOutcome(levels: result.trials.map(\.outcome), search: result)
        } else {
            var reports: [LevelReport] = []
            for level in configuration.levels {
                let report = await generator.run(level: level, stop: stop, progress: events.progress)
                reports.append(report)
                events.level(report)
                if report.interrupted || Task.isCancelled { break }
            }
            outcome = LoadTestOutcome(levels: reports)
        }
        try? await generator.shutdown()
        return outcome
    }
}
