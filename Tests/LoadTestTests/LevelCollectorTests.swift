import Testing
@testable import LoadTest

@Suite struct LevelCollectorTests {
    /// A request that started at `start` ms with content events at `times` ms and ended at `end` ms.
    func record(start: UInt64 = 0, times: [UInt64], end: UInt64, usage: Int? = nil) -> RequestRecord {
        var record = RequestRecord(start: start * 1_000_000, inputTokens: 8)
        record.contentTimes = times.map { $0 * 1_000_000 }
        record.end = end * 1_000_000
        record.usageOutputTokens = usage
        return record
    }

    @Test("TTFT, ITL (AIPerf), inter-chunk latency and latency follow their definitions")
    func definitions() throws {
        var collector = LevelCollector(slo: [])
        // TTFT 50 ms, then 4 chunks 10 ms apart, last event at 95 ms; usage says 5 tokens.
        collector.add(record(times: [50, 60, 70, 80, 90], end: 95, usage: 5))
        let report = collector.report(level: .concurrency(1), interrupted: false, achievedRate: nil, fellBehind: false)
        let ttft = try #require(report.metrics["time_to_first_token"])
        #expect(abs(ttft.p50 - 50) < 0.1)
        // (95 − 50) / (5 − 1) = 11.25 ms
        #expect(abs(try #require(report.metrics["inter_token_latency"]).p50 - 11.25) < 0.05)
        #expect(abs(try #require(report.metrics["inter_chunk_latency"]).p50 - 10) < 0.05)
        #expect(abs(try #require(report.metrics["request_latency"]).p50 - 95) < 0.1)
        #expect(try #require(report.metrics["output_sequence_length"]).p50 == 5)
        #expect(ttft.unit == "ms")
    }

    @Test("output tokens are counted from content events when the server sends no usage")
    func countedTokens() throws {
        var collector = LevelCollector(slo: [])
        collector.add(record(times: [10, 20, 30], end: 30))
        let report = collector.report(level: .concurrency(1), interrupted: false, achievedRate: nil, fellBehind: false)
        #expect(try #require(report.metrics["output_sequence_length"]).p50 == 3)
    }

    @Test("goodput counts requests meeting every SLO; the level verdict uses the percentile")
    func goodput() throws {
        var collector = LevelCollector(slo: [SLO(metric: .ttft, percentile: 50, thresholdMilliseconds: 100)])
        collector.add(record(start: 0, times: [50, 60], end: 1000))
        collector.add(record(start: 0, times: [150, 160], end: 1000))
        collector.add(record(start: 0, times: [80, 90], end: 2000))
        let report = collector.report(level: .concurrency(3), interrupted: false, achievedRate: nil, fellBehind: false)
        // 2 good requests over 2 s.
        #expect(abs(try #require(report.metrics["goodput"]).avg - 1.0) < 1e-9)
        #expect(abs(try #require(report.metrics["request_throughput"]).avg - 1.5) < 1e-9)
        #expect(report.meetsSLO)
    }

    @Test("errors are counted by kind and excluded from latency figures; cancelled requests count nowhere")
    func errorsByKind() {
        var collector = LevelCollector(slo: [])
        for kind in RequestErrorKind.allCases {
            var failed = RequestRecord(start: 0, inputTokens: 1)
            failed.error = kind
            collector.add(failed)
        }
        var cancelled = RequestRecord(start: 0, inputTokens: 1)
        cancelled.cancelled = true
        collector.add(cancelled)
        let report = collector.report(level: .concurrency(1), interrupted: false, achievedRate: nil, fellBehind: false)
        #expect(report.requests == RequestErrorKind.allCases.count)
        #expect(report.successes == 0)
        #expect(report.errors == Dictionary(uniqueKeysWithValues: RequestErrorKind.allCases.map { ($0.rawValue, 1) }))
        #expect(report.metrics["time_to_first_token"] == nil)
        #expect(report.errorRate == 1)
    }
}
