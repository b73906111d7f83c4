/// What a `loadtest` invocation will do: a sweep over levels, or a capacity search.
public enum SearchGoal: String, Sendable, CaseIterable {
    /// Highest concurrency whose percentiles meet every `--slo` target.
    case maxConcurrencyUnderSLO = "max-concurrency-under-slo"
}

/// The CLI's flags as typed values, validated together (each error names its flag).
public struct LoadTestFlags: Sendable {
    public var url: String
    public var model: String
    public var endpoint = "chat"
    public var concurrency: String?
    public var rate: String?
    public var arrival = "constant"
    public var requests: Int?
    public var duration: String?
    public var isl = 512
    public var osl = 256
    public var slo: String?
    public var search: String?
    public var searchLimit = 256
    public var warmup: Int?
    public var seed: UInt64 = 0
    public var apiKey: String?
    public var requestTimeout = "600s"

    public init(url: String, model: String) {
        self.url = url
        self.model = model
    }

    /// The configuration and, with `--search`, the goal; throws `.invalidFlag` naming the flag.
    public func plan() throws(LoadTestError) -> (LoadTestConfiguration, SearchGoal?) {
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), url.count > 8 else {
            throw .invalidFlag(flag: "--url", message: "'\(url)' is not an http:// or https:// URL")
        }
        guard !model.isEmpty else { throw .invalidFlag(flag: "--model", message: "must not be empty") }
        guard let endpoint = Endpoint(rawValue: endpoint) else {
            throw .invalidFlag(flag: "--endpoint", message: "'\(endpoint)' is not chat or completions")
        }
        guard (1...1_000_000).contains(isl) else { throw .invalidFlag(flag: "--isl", message: "must be from 1 to 1000000 words, got \(isl)") }
        guard (1...1_000_000).contains(osl) else { throw .invalidFlag(flag: "--osl", message: "must be from 1 to 1000000 tokens, got \(osl)") }
        if let requests, requests < 1 { throw .invalidFlag(flag: "--requests", message: "must be at least 1, got \(requests)") }
        if let warmup, warmup < 0 { throw .invalidFlag(flag: "--warmup", message: "must be 0 or more, got \(warmup)") }
        let goal: SearchGoal?
        if let search {
            guard let parsed = SearchGoal(rawValue: search) else {
                throw .invalidFlag(flag: "--search", message: "'\(search)' is not a known search (use max-concurrency-under-slo)")
            }
            goal = parsed
        } else {
            goal = nil
        }
        guard (1...100_000).contains(searchLimit) else { throw .invalidFlag(flag: "--search-limit", message: "must be from 1 to 100000") }
        let levels: [Level]
        switch (concurrency, rate) {
        case (let c?, nil):
            levels = try FlagParsing.integers(c, flag: "--concurrency", range: 1...100_000).map(Level.concurrency)
        case (nil, let r?):
            guard goal == nil else { throw .invalidFlag(flag: "--search", message: "searches concurrency; drop --rate") }
            guard let arrival = Level.Arrival(rawValue: arrival) else {
                throw .invalidFlag(flag: "--arrival", message: "'\(arrival)' is not constant or poisson")
            }
            levels = try FlagParsing.rates(r, flag: "--rate").map { .rate($0, arrival) }
        case (_?, _?):
            throw .invalidFlag(flag: "--rate", message: "give either --concurrency or --rate, not both")
        case (nil, nil):
            guard goal != nil else { throw .invalidFlag(flag: "--concurrency", message: "give --concurrency LIST or --rate LIST (or --search)") }
            levels = []
        }
        var configuration = LoadTestConfiguration(url: url, model: model, levels: levels, inputTokens: isl, outputTokens: osl)
        configuration.endpoint = endpoint
        configuration.apiKey = apiKey
        configuration.requests = requests
        configuration.duration = try duration.map { text throws(LoadTestError) in try FlagParsing.duration(text, flag: "--duration") }
        configuration.warmupRequests = warmup
        configuration.seed = seed
        configuration.requestTimeout = try FlagParsing.duration(requestTimeout, flag: "--request-timeout")
        if let slo { configuration.slo = try SLO.parseList(slo) }
        if goal != nil, configuration.slo.isEmpty {
            throw .invalidFlag(flag: "--slo", message: "--search max-concurrency-under-slo needs --slo, e.g. ttft_p99=500ms,tpot_p99=50ms")
        }
        return (configuration, goal)
    }
}
