/// A service-level objective on one latency metric: "the p99 of TTFT stays at or under 500 ms".
///
/// Syntax (`--slo`): comma-separated `metric[_pNN]=value[unit]`, e.g.
/// `ttft_p99=500ms,tpot_p99=50ms,e2e_p50=2s`. Metrics: `ttft` (time_to_first_token), `tpot` or
/// `itl` (inter_token_latency), `e2e` (request_latency). Percentiles: p50, p90, p95, p99
/// (default p99). Units: `us`, `ms` (default), `s`.
///
/// A level meets the SLO when the stated percentile is within the threshold; a single request
/// counts toward goodput when its own value is within every threshold (AIPerf's definition).
public struct SLO: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Metric: String, Sendable, Codable, CaseIterable {
        case ttft, tpot, e2e

        /// The AIPerf tag of the metric the target applies to.
        public var tag: String {
            switch self {
            case .ttft: "time_to_first_token"
            case .tpot: "inter_token_latency"
            case .e2e: "request_latency"
            }
        }
    }

    public var metric: Metric
    public var percentile: Int
    /// Threshold in milliseconds.
    public var thresholdMilliseconds: Double

    public init(metric: Metric, percentile: Int, thresholdMilliseconds: Double) {
        self.metric = metric
        self.percentile = percentile
        self.thresholdMilliseconds = thresholdMilliseconds
    }

    public var description: String {
        "\(metric.rawValue)_p\(percentile)=\(formatMilliseconds(thresholdMilliseconds))ms"
    }

    /// Parses the `--slo` syntax above.
    public static func parseList(_ text: String) throws(LoadTestError) -> [SLO] {
        var targets: [SLO] = []
        for item in text.split(separator: ",") {
            let part = item.trimmingWhitespace()
            guard let equals = part.firstIndex(of: "=") else { throw .invalidSLO(String(part), "expected metric_pNN=value, e.g. ttft_p99=500ms") }
            let name = part[..<equals].lowercased()
            let value = String(part[part.index(after: equals)...])
            var metricName = Substring(name)
            var percentile = 99
            if let underscore = name.lastIndex(of: "_"), name[name.index(after: underscore)...].hasPrefix("p") {
                let digits = name[name.index(underscore, offsetBy: 2)...]
                guard let p = Int(digits), [50, 90, 95, 99].contains(p) else {
                    throw .invalidSLO(String(part), "percentile must be p50, p90, p95 or p99")
                }
                percentile = p
                metricName = name[..<underscore]
            }
            let metric: Metric
            switch metricName {
            case "ttft", "time_to_first_token": metric = .ttft
            case "tpot", "itl", "inter_token_latency": metric = .tpot
            case "e2e", "latency", "request_latency": metric = .e2e
            default: throw .invalidSLO(String(part), "unknown metric '\(metricName)' (use ttft, tpot/itl or e2e)")
            }
            guard let ms = parseMilliseconds(value), ms > 0 else {
                throw .invalidSLO(String(part), "'\(value)' is not a positive duration such as 500ms or 2s")
            }
            targets.append(SLO(metric: metric, percentile: percentile, thresholdMilliseconds: ms))
        }
        guard !targets.isEmpty else { throw .invalidSLO(text, "no targets given") }
        return targets
    }
}

/// `500ms`, `2s`, `750us`, `120` (ms) → milliseconds.
func parseMilliseconds(_ text: String) -> Double? {
    let t = text.trimmingWhitespace().lowercased()
    for (suffix, factor) in [("ms", 1.0), ("us", 0.001), ("µs", 0.001), ("s", 1000.0)] where t.hasSuffix(suffix) {
        return Double(t.dropLast(suffix.count)).map { $0 * factor }
    }
    return Double(t)
}

func formatMilliseconds(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
}

extension StringProtocol {
    func trimmingWhitespace() -> Substring {
        var s = Substring(self)
        while let first = s.first, first.isWhitespace { s.removeFirst() }
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return s
    }
}
