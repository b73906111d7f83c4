import Testing
@testable import LoadTest

@Suite struct FlagParsingTests {
    func flags(_ edit: (inout LoadTestFlags) -> Void) -> LoadTestFlags {
        var flags = LoadTestFlags(url: "http://127.0.0.1:8000", model: "m")
        flags.concurrency = "1,4,16"
        edit(&flags)
        return flags
    }

    @Test("a good command line becomes levels, bounds, lengths and SLOs")
    func goodPlan() throws {
        let (configuration, goal) = try flags {
            $0.duration = "2m"
            $0.isl = 128
            $0.osl = 64
            $0.slo = "ttft_p99=500ms,tpot_p90=50ms,e2e=2s"
        }.plan()
        #expect(goal == nil)
        #expect(configuration.levels == [.concurrency(1), .concurrency(4), .concurrency(16)])
        #expect(configuration.duration == .seconds(120))
        #expect(configuration.inputTokens == 128 && configuration.outputTokens == 64)
        #expect(configuration.slo == [
            SLO(metric: .ttft, percentile: 99, thresholdMilliseconds: 500),
            SLO(metric: .tpot, percentile: 90, thresholdMilliseconds: 50),
            SLO(metric: .e2e, percentile: 99, thresholdMilliseconds: 2000),
        ])
    }

    @Test("rate mode with Poisson arrivals")
    func rates() throws {
        let (configuration, _) = try flags {
            $0.concurrency = nil
            $0.rate = "50,100.5"
            $0.arrival = "poisson"
        }.plan()
        #expect(configuration.levels == [.rate(50, .poisson), .rate(100.5, .poisson)])
    }

    struct BadFlag: CustomTestStringConvertible, Sendable {
        var flag: String
        var edit: @Sendable (inout LoadTestFlags) -> Void
        var testDescription: String { flag }
    }

    @Test("a bad value is rejected with the flag's name", arguments: [
        BadFlag(flag: "--concurrency") { $0.concurrency = "1,x" },
        BadFlag(flag: "--concurrency") { $0.concurrency = "0" },
        BadFlag(flag: "--rate") { $0.concurrency = nil; $0.rate = "-3" },
        BadFlag(flag: "--rate") { $0.rate = "5" },
        BadFlag(flag: "--arrival") { $0.concurrency = nil; $0.rate = "5"; $0.arrival = "bursty" },
        BadFlag(flag: "--endpoint") { $0.endpoint = "embeddings" },
        BadFlag(flag: "--isl") { $0.isl = 0 },
        BadFlag(flag: "--osl") { $0.osl = -1 },
        BadFlag(flag: "--duration") { $0.duration = "soon" },
        BadFlag(flag: "--requests") { $0.requests = 0 },
        BadFlag(flag: "--url") { $0.url = "localhost:8000" },
        BadFlag(flag: "--search") { $0.search = "fastest" },
        BadFlag(flag: "--slo") { $0.search = "max-concurrency-under-slo" },
    ])
    func rejects(bad: BadFlag) {
        let error = #expect(throws: LoadTestError.self) { try flags(bad.edit).plan() }
        guard case .invalidFlag(let flag, let message)? = error else {
            Issue.record("expected invalidFlag, got \(String(describing: error))")
            return
        }
        #expect(flag == bad.flag)
        #expect(!message.isEmpty)
    }

    @Test("SLO syntax errors say what is wrong", arguments: ["ttft_p98=1ms", "speed=3ms", "ttft=fast", "ttft", "ttft_p99=-5ms"])
    func badSLO(text: String) {
        #expect(throws: LoadTestError.self) { try SLO.parseList(text) }
    }

    @Test("durations accept ms, s, m, h and bare seconds")
    func durations() throws {
        #expect(try FlagParsing.duration("500ms", flag: "--d") == .milliseconds(500))
        #expect(try FlagParsing.duration("90", flag: "--d") == .seconds(90))
        #expect(try FlagParsing.duration("1h", flag: "--d") == .seconds(3600))
    }
}
