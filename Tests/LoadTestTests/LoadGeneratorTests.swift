import Testing
@testable import LoadTest

/// End to end against `ScriptedServer` on loopback. Timing assertions compare medians with a
/// tolerance a loaded 2-core machine keeps (late wake-ups only add latency); nothing asserts speed.
@Suite(.serialized) struct LoadGeneratorTests {
    func generator(_ base: String, _ level: Level, endpoint: Endpoint = .chat, requests: Int = 12, warmup: Int = 0) -> LoadGenerator {
        var configuration = LoadTestConfiguration(url: base, model: "m", levels: [level], inputTokens: 8, outputTokens: 10)
        configuration.endpoint = endpoint
        configuration.requests = requests
        configuration.warmupRequests = warmup
        configuration.requestTimeout = .seconds(20)
        return LoadGenerator(configuration: configuration)
    }

    func run(_ base: String, _ level: Level, endpoint: Endpoint = .chat, requests: Int = 12, warmup: Int = 0) async throws -> LevelReport {
        let generator = generator(base, level, endpoint: endpoint, requests: requests, warmup: warmup)
        let report = await generator.run(level: level)
        try await generator.shutdown()
        return report
    }

    @Test("TTFT 50 ms and ITL 10 ms are measured as scripted (chat, usage from the server)")
    func exactTimings() async throws {
        try await withLoopbackServer(ScriptedServer.router()) { base in
            let report = try await run(base + "/ok", .concurrency(2), warmup: 2)
            #expect(report.successes == 12)
            #expect(report.errors.isEmpty)
            let ttft = try #require(report.metrics["time_to_first_token"])
            let itl = try #require(report.metrics["inter_token_latency"])
            let chunks = try #require(report.metrics["inter_chunk_latency"])
            #expect(abs(ttft.p50 - 50) <= 15, "TTFT p50 \(ttft.p50) ms")
            #expect(abs(itl.p50 - 10) <= 5, "ITL p50 \(itl.p50) ms")
            #expect(abs(chunks.p50 - 10) <= 5, "inter-chunk p50 \(chunks.p50) ms")
            #expect(try #require(report.metrics["output_sequence_length"]).p50 == 10)
        }
    }

    @Test("completions without usage: tokens are counted from content events")
    func completionsCounted() async throws {
        try await withLoopbackServer(ScriptedServer.router()) { base in
            let report = try await run(base + "/ok/v1", .concurrency(1), endpoint: .completions, requests: 4)
            #expect(report.successes == 4)
            #expect(try #require(report.metrics["output_sequence_length"]).p50 == 10)
            #expect(abs(try #require(report.metrics["time_to_first_token"]).p50 - 50) <= 15)
        }
    }

    @Test("events merged into one TCP write are each timed: all 10 tokens counted, gaps near zero")
    func mergedWrite() async throws {
        try await withLoopbackServer(ScriptedServer.router()) { base in
            let report = try await run(base + "/merged", .concurrency(1), requests: 3)
            #expect(report.successes == 3)
            let chunks = try #require(report.metrics["inter_chunk_latency"])
            #expect(chunks.count == 27)  // 9 gaps per request
            #expect(chunks.p50 < 5)
            #expect(abs(try #require(report.metrics["time_to_first_token"]).p50 - 50) <= 15)
        }
    }

    @Test("failures are counted by kind and never crash the run", arguments: [
        ("e500", RequestErrorKind.http5xx),
        ("e429", .rateLimited),
        ("cut", .midStreamDisconnect),
        ("bad", .malformedSSE),
    ])
    func failuresByKind(route: String, kind: RequestErrorKind) async throws {
        try await withLoopbackServer(ScriptedServer.router()) { base in
            let report = try await run(base + "/" + route, .concurrency(2), requests: 4)
            #expect(report.requests == 4)
            #expect(report.successes == 0)
            #expect(report.errors == [kind.rawValue: 4])
        }
    }

    @Test("a refused connection counts as a connect error")
    func connectError() async throws {
        let report = try await run("http://127.0.0.1:1", .concurrency(1), requests: 2)
        #expect(report.errors == [RequestErrorKind.connect.rawValue: 2])
    }

    @Test("rate mode reports the schedule lag and the achieved rate")
    func rateMode() async throws {
        try await withLoopbackServer(ScriptedServer.router()) { base in
            let report = try await run(base + "/ok", .rate(40, .poisson), requests: 20)
            #expect(report.successes == 20)
            let lag = try #require(report.scheduleLag)
            #expect(lag.count == 20)
            #expect(report.achievedRate != nil)
        }
    }

    @Test("a stop signal ends the level early and marks it interrupted")
    func interrupted() async throws {
        try await withLoopbackServer(ScriptedServer.router()) { base in
            let generator = generator(base + "/ok", .concurrency(1), requests: 10_000)
            let stop = StopSignal()
            async let report = generator.run(level: .concurrency(1), stop: stop)
            try await Task.sleep(for: .milliseconds(400))
            await stop.trigger()
            let result = await report
            try await generator.shutdown()
            #expect(result.interrupted)
            #expect(result.requests < 10_000)
        }
    }
}
