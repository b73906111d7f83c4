/// The human-readable result table the CLI prints on stdout.
public enum LoadTestSummary {
    public static func text(_ reports: [LevelReport], search: CapacitySearch.Result<LevelReport>?) -> String {
        var lines = ["level        req    err  req/s    tok/s   TTFT p50/p99 ms      ITL p50/p99 ms   goodput  notes"]
        for report in reports {
            func pair(_ tag: String) -> String {
                guard let stats = report.metrics[tag] else { return "-" }
                return fixed(stats.p50, 1) + "/" + fixed(stats.p99, 1)
            }
            var notes: [String] = []
            if report.interrupted { notes.append("INTERRUPTED (partial)") }
            if report.fellBehind {
                notes.append("GENERATOR FELL BEHIND (lag p99 \(fixed(report.scheduleLag?.p99 ?? 0, 1)) ms, achieved \(fixed(report.achievedRate ?? 0, 1)) req/s)")
            }
            if !report.slo.isEmpty { notes.append(report.meetsSLO ? "meets SLO" : "misses SLO") }
            if !report.errors.isEmpty {
                notes.append(report.errors.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            }
            lines.append([
                pad(report.level.label, 10), pad(String(report.requests), 6), pad(String(report.requests - report.successes), 5),
                pad(fixed(report.metrics["request_throughput"]?.avg ?? 0, 1), 7), pad(fixed(report.metrics["output_token_throughput"]?.avg ?? 0, 0), 8),
                pad(pair("time_to_first_token"), 19), pad(pair("inter_token_latency"), 16),
                pad(report.metrics["goodput"].map { fixed($0.avg, 1) } ?? "-", 8), notes.joined(separator: "; "),
            ].joined(separator: " "))
        }
        if let search {
            let answer = search.best.map { "max concurrency under SLO: \($0)" + (search.hitLimit ? " (the limit; capacity may be higher)" : "") }
                ?? "no concurrency meets the SLO (even 1 fails)"
            lines.append(answer + " — tried " + search.trials.map { "\($0.concurrency)\($0.passed ? "✓" : "✗")" }.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
