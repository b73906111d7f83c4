public import Foundation

/// Writes results in AIPerf's export format, so tooling that reads AIPerf reads ours.
///
/// Per level: `profile_export_aiperf.json` (top-level keys are AIPerf metric tags, each
/// `{unit, avg, min, max, p1 … p99, std, count, sum}`; latencies in ms) and `profile_export_aiperf.csv`
/// (AIPerf's two sections: `Metric,avg,min,max,sum,p1,…,p99,std` rows named
/// `Time to First Token (ms)`, then `Metric,Value` rows for throughputs), in `DIR/<label>/`.
/// For the run: `DIR/sweep.csv` (the capacity curve, one row per level) and `DIR/summary.json`
/// (every level report, and the capacity search when one ran).
public enum ReportExporter {
    /// AIPerf's display header per tag (`MetricResult.header`).
    public static let headers: [String: String] = [
        "time_to_first_token": "Time to First Token",
        "inter_token_latency": "Inter Token Latency",
        "inter_chunk_latency": "Inter Chunk Latency",
        "request_latency": "Request Latency",
        "output_sequence_length": "Output Sequence Length",
        "input_sequence_length": "Input Sequence Length",
        "output_token_throughput_per_user": "Output Token Throughput Per User",
        "output_token_throughput": "Output Token Throughput",
        "request_throughput": "Request Throughput",
        "goodput": "Goodput",
        "request_count": "Request Count",
        "error_request_count": "Error Request Count",
        "benchmark_duration": "Benchmark Duration",
    ]

    static let statKeys = ["avg", "min", "max", "sum", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "std"]

    /// The AIPerf-shaped JSON of one level.
    public static func json(_ report: LevelReport) -> Data {
        var object: [String: Any] = [
            "schema_version": "1.4",
            "aiperf_version": NSNull(),
            "generator": LoadTestVersion.name,
            "level": report.level.description,
            "was_cancelled": report.interrupted,
            "error_summary": report.errors.sorted { $0.key < $1.key }.map { ["error_type": $0.key, "count": $0.value] as [String: Any] },
        ]
        for (tag, stats) in report.metrics {
            var entry: [String: Any] = ["unit": stats.unit, "avg": stats.avg]
            if !stats.isScalar {
                for (key, value) in [("min", stats.min), ("max", stats.max), ("p1", stats.p1), ("p5", stats.p5), ("p10", stats.p10),
                                     ("p25", stats.p25), ("p50", stats.p50), ("p75", stats.p75), ("p90", stats.p90),
                                     ("p95", stats.p95), ("p99", stats.p99), ("std", stats.std),
                                     ("sum", stats.avg * Double(stats.count))] {
                    entry[key] = value
                }
                entry["count"] = stats.count
            }
            object[tag] = entry
        }
        if let lag = report.scheduleLag {
            object["schedule_lag"] = ["unit": lag.unit, "avg": lag.avg, "p50": lag.p50, "p99": lag.p99, "max": lag.max] as [String: Any]
            object["schedule_fell_behind"] = report.fellBehind
        }
        if let rate = report.achievedRate { object["achieved_request_rate"] = ["unit": "requests/sec", "avg": rate] as [String: Any] }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
    }

    /// The AIPerf-shaped CSV of one level.
    public static func csv(_ report: LevelReport) -> String {
        let sorted = report.metrics.sorted { $0.key < $1.key }
        var lines = ["Metric," + statKeys.joined(separator: ",")]
        for (tag, stats) in sorted where !stats.isScalar {
            let values: [String] = statKeys.map { key in
                switch key {
                case "avg": number(stats.avg)
                case "min": number(stats.min)
                case "max": number(stats.max)
                case "p1": number(stats.p1)
                case "p5": number(stats.p5)
                case "p10": number(stats.p10)
                case "p25": number(stats.p25)
                case "p50": number(stats.p50)
                case "p75": number(stats.p75)
                case "p90": number(stats.p90)
                case "p95": number(stats.p95)
                case "p99": number(stats.p99)
                case "std": number(stats.std)
                default: ""
                }
            }
            lines.append(([name(tag, stats.unit)] + values).joined(separator: ","))
        }
        lines.append("")
        lines.append("Metric,Value")
        for (tag, stats) in sorted where stats.isScalar {
            lines.append(name(tag, stats.unit) + "," + number(stats.avg))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The capacity curve: one row per level.
    public static func sweepCSV(_ reports: [LevelReport]) -> String {
        var lines = ["level,concurrency,request_rate,requests,errors,error_rate,request_throughput,output_token_throughput,goodput,time_to_first_token_p50,time_to_first_token_p99,inter_token_latency_p50,inter_token_latency_p99,request_latency_p50,request_latency_p99,schedule_lag_p99,fell_behind,meets_slo"]
        for report in reports {
            var concurrency = "", rate = ""
            switch report.level {
            case .concurrency(let n): concurrency = String(n)
            case .rate(let r, _): rate = number(r)
            }
            func stat(_ tag: String, _ p: Int) -> String { report.metrics[tag].map { number($0.value(atPercentile: p)) } ?? "" }
            func scalar(_ tag: String) -> String { report.metrics[tag].map { number($0.avg) } ?? "" }
            lines.append([
                report.level.label, concurrency, rate, String(report.requests), String(report.requests - report.successes),
                number(report.errorRate), scalar("request_throughput"), scalar("output_token_throughput"), scalar("goodput"),
                stat("time_to_first_token", 50), stat("time_to_first_token", 99), stat("inter_token_latency", 50),
                stat("inter_token_latency", 99), stat("request_latency", 50), stat("request_latency", 99),
                report.scheduleLag.map { number($0.p99) } ?? "", String(report.fellBehind),
                report.slo.isEmpty ? "" : String(report.meetsSLO),
            ].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes every file into `directory` (created if missing).
    public static func write(_ reports: [LevelReport], search: CapacitySearch.Result<LevelReport>?, to directory: String) throws(LoadTestError) {
        let fm = FileManager.default
        func put(_ data: Data, _ path: String) throws(LoadTestError) {
            do {
                try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try data.write(to: URL(fileURLWithPath: path))
            } catch {
                throw .cannotWrite(path: path, reason: error.localizedDescription)
            }
        }
        for report in reports {
            let folder = directory + "/" + report.level.label
            try put(json(report), folder + "/profile_export_aiperf.json")
            try put(Data(csv(report).utf8), folder + "/profile_export_aiperf.csv")
        }
        try put(Data(sweepCSV(reports).utf8), directory + "/sweep.csv")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        struct Summary: Encodable {
            var generator: String
            var levels: [LevelReport]
            var search: SearchSummary?
        }
        struct SearchSummary: Encodable {
            var max_concurrency_under_slo: Int?
            var hit_limit: Bool
            var trials: [Trial]
        }
        struct Trial: Encodable {
            var concurrency: Int
            var passed: Bool
        }
        let summary = Summary(
            generator: LoadTestVersion.name, levels: reports,
            search: search.map { SearchSummary(max_concurrency_under_slo: $0.best, hit_limit: $0.hitLimit,
                                               trials: $0.trials.map { Trial(concurrency: $0.concurrency, passed: $0.passed) }) })
        do {
            try put(try encoder.encode(summary), directory + "/summary.json")
        } catch let error as LoadTestError {
            throw error
        } catch {
            throw .cannotWrite(path: directory + "/summary.json", reason: "\(error)")
        }
    }

    /// `Time to First Token (ms)`; AIPerf omits the unit for counts.
    static func name(_ tag: String, _ unit: String) -> String {
        let header = headers[tag] ?? tag
        return unit == "requests" || unit == "count" ? header : "\(header) (\(unit))"
    }

    /// Two decimals, as AIPerf's CSV.
    static func number(_ value: Double) -> String {
        fixed(value, 2)
    }
}
