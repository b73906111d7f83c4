import TestSupport
import Testing
@testable import LoadTest

/// End to end against `ScriptedServer` on loopback. Timing assertions compare medians with a
/// tolerance a loaded 2-core machine keeps (late wake-ups only add latency); nothing asserts speed.
/// Every scenario runs through both carriers: `WireClient` (plain http) and AsyncHTTPClient (the
/// https carrier, forced onto http here).
@Suite(.serialized) struct LoadGeneratorTests {
    static let carriers: [LoadGenerator.Carrier] = [.automatic, .asyncHTTPClient]

    func generator(_ base: String, _ level: Level, carrier: LoadGenerator.Carrier, endpoint: Endpoint = .chat,
                   requests: Int = 12, warmup: Int = 0, timeout: Duration = .seconds(20)) -> LoadGenerator {
        var configuration = LoadTestConfiguration(url: base, model: "m", levels: [level], inputTokens: 8, outputTokens: 10)
        configuration.endpoint = endpoint
        configuration.requests = requests
        configuration.warmupRequests = warmup
        configuration.requestTimeout = timeout
        return LoadGenerator(configuration: configuration, carrier: carrier)
    }

    func run(_ base: String, _ level: Level, carrier: LoadGenerator.Carrier, endpoint: Endpoint = .chat, requests: Int = 12,
             warmup: Int = 0) async throws -> LevelReport {
        let generator = generator(base, level, carrier: carrier, endpoint: endpoint, requests: requests, warmup: warmup)
        let report = await generator.run(level: level)
        try await generator.shutdown()
        return report
    }

    @Test("TTFT 50 ms and ITL 10 ms are measured as scripted (chat, usage from the server)", arguments: carriers)
    func exactTimings(carrier: LoadGenerator.Carrier) async throws {
        try await withLoopbackServer(ScriptedServer.router()) { base in
            let report = try await run(base + "/ok", .concurrency(2), carrier: carrier, warmup: 2)
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

    @Test("the plain-http client keeps connections alive: 2 workers, 14 requests, 2 connections")
    func keepAlive() async throws {
        try await withLoopbackServer(ScriptedServer.router()) { base in
            let generator = generator(base + "/ok", .concurrency(2), carrier: .automatic, requests: 12, warmup: 2)
            let report = await generator.run(level: .concurrency(2))
            let opened = await generator.connectionsOpened()
            try await generator.shutdown()
            #expect(report.successes == 12)
            // Each connection is released before the next request starts, so no worker ever
            // finds the pool empty (an event-loop-bound AsyncHTTPClient request closed its
            // connection after every response: 14 connections).
            #expect(opened == 2)
        }
    }

    @Test("completions without usage: tokens are counted from content events", arguments: carriers)
    func completionsCounted(carrier: LoadGenerator.Carrier) async throws {
        try await withLoopbackServer(ScriptedServer.router()) { base in
            let report = try await run(base + "/ok/v1", .concurrency(1), carrier: carrier, endpoint: .completions, requests: 4)
            #expect(report.successes == 4)
            #expect(try #require(report.metrics["output_sequence_length"]).p50 == 10)
            #expect(abs(try #require(report.metrics["time_to_first_token"]).p50 - 50) <= 15)
        }
    }

    @Test("events merged into one TCP write are each timed: all 10 tokens counted, gaps near zero", arguments: carriers)
    func mergedWrite(carrier: LoadGenerator.Carrier) async throws {
        try await withLoopbackServer(ScriptedServer.router()) { base in
            let report = try await run(base + "/merged", .concurrency(1), carrier: carrier, requests: 3)
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
        for carrier in Self.carriers { try await failures(route: route, kind: kind, carrier: carrier) }
    }

    func failures(route: String, kind: RequestErrorKind, carrier: LoadGenerator.Carrier) async throws {
        try await withLoopbackServer(ScriptedServer.router()) { base in
            let report = try await run(base + "/" + route, .concurrency(2), carrier: carrier, requests: 4)
            #expect(report.requests == 4)
            #expect(report.successes == 0)
            #expect(report.errors == [kind.rawValue: 4])
        }
    }

    @Test("a response that stalls past the request timeout counts as a timeout", arguments: carriers)
    func timeout(carrier: LoadGenerator.Carrier) async throws {
        try await withLoopbackServer(ScriptedServer.router()) { base in
            let generator = generator(base + "/hang", .concurrency(2), carrier: carrier, requests: 2, timeout: .milliseconds(300))
            let report = await generator.run(level: .concurrency(2))
            try await generator.shutdown()
            #expect(report.errors == [RequestErrorKind.timeout.rawValue: 2])
        }
    }

    @Test("a refused connection counts as a connect error", arguments: carriers)
    func connectError(carrier: LoadGenerator.Carrier) async throws {
        let report = try await run("http://127.0.0.1:1", .concurrency(1), carrier: carrier, requests: 2)
        #expect(report.errors == [RequestErrorKind.connect.rawValue: 2])
    }

    @Test("rate mode reports the schedule lag and the achieved rate", arguments: carriers)
    func rateMode(carrier: LoadGenerator.Carrier) async throws {
        try await withLoopbackServer(ScriptedServer.router()) { base in
            let report = try await run(base + "/ok", .rate(40, .poisson), carrier: carrier, requests: 20)
            #expect(report.successes == 20)
            let lag = try #require(report.scheduleLag)
            #expect(lag.count == 20)
            #expect(report.achievedRate != nil)
        }
    }

    @Test("a stop signal ends the level early and marks it interrupted", arguments: carriers)
    func interrupted(carrier: LoadGenerator.Carrier) async throws {
        try await withLoopbackServer(ScriptedServer.router()) { base in
            let generator = generator(base + "/ok", .concurrency(1), carrier: carrier, requests: 10_000)
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
