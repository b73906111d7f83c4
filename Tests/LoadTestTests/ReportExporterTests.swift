import Foundation
import Testing
@testable import LoadTest

@Suite struct ReportExporterTests {
    func sampleReport() -> LevelReport {
        var collector = LevelCollector(slo: [SLO(metric: .ttft, percentile: 99, thresholdMilliseconds: 500)])
        var record = RequestRecord(start: 0, inputTokens: 16)
        record.contentTimes = [50_000_000, 60_000_000, 70_000_000]
        record.end = 75_000_000
        record.usageOutputTokens = 3
        collector.add(record)
        var failed = RequestRecord(start: 0, inputTokens: 16)
        failed.error = .rateLimited
        collector.add(failed)
        return collector.report(level: .concurrency(4), interrupted: false, achievedRate: nil, fellBehind: false)
    }

    @Test("JSON uses AIPerf's metric tags, units and statistic keys")
    func jsonFields() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: ReportExporter.json(sampleReport())) as? [String: Any])
        for tag in ["time_to_first_token", "inter_token_latency", "request_latency", "output_token_throughput", "request_throughput", "goodput"] {
            #expect(object[tag] != nil, "missing \(tag)")
        }
        let ttft = try #require(object["time_to_first_token"] as? [String: Any])
        #expect(ttft["unit"] as? String == "ms")
        #expect(Set(ttft.keys) == ["unit", "avg", "min", "max", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "std", "count", "sum"])
        #expect((ttft["p50"] as? Double).map { abs($0 - 50) < 0.1 } == true)
        let throughput = try #require(object["request_throughput"] as? [String: Any])
        #expect(throughput["unit"] as? String == "requests/sec")
        #expect(try #require(object["output_token_throughput"] as? [String: Any])["unit"] as? String == "tokens/sec")
        let errors = try #require(object["error_summary"] as? [[String: Any]])
        #expect(errors.first?["error_type"] as? String == "http_429")
    }

    @Test("CSV has AIPerf's two sections with its headers and units")
    func csvFields() {
        let lines = ReportExporter.csv(sampleReport()).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Metric,avg,min,max,sum,p1,p5,p10,p25,p50,p75,p90,p95,p99,std")
        let ttft = lines.first { $0.hasPrefix("Time to First Token (ms),") }?.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(ttft?.count == 15)
        #expect(ttft?[9] == "50.00")  // p50
        #expect(lines.contains { $0.hasPrefix("Output Sequence Length (tokens),") && $0.split(separator: ",").count > 2 })
        #expect(lines.contains { $0.hasPrefix("Inter Token Latency (ms),") })
        #expect(lines.contains { $0.hasPrefix("Request Latency (ms),") })
        #expect(lines.contains("Metric,Value"))
        #expect(lines.contains { $0.hasPrefix("Request Throughput (requests/sec),") })
        #expect(lines.contains { $0.hasPrefix("Output Token Throughput (tokens/sec),") })
        #expect(lines.contains { $0.hasPrefix("Goodput (requests/sec),") })
        #expect(lines.contains("Request Count,1.00"))
    }

    @Test("the sweep CSV has one row per level with the capacity-curve columns")
    func sweepCSV() {
        let text = ReportExporter.sweepCSV([sampleReport()])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("level,concurrency,request_rate,requests,errors,error_rate,request_throughput,output_token_throughput,goodput,time_to_first_token_p50,time_to_first_token_p99,inter_token_latency_p50,inter_token_latency_p99"))
        #expect(lines[1].hasPrefix("c4,4,,2,1,0.50,"))
    }
}
