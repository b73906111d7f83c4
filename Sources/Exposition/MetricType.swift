/// The `# TYPE` of a metric family in the Prometheus text format.
public enum MetricType: String, Sendable, Hashable, Codable, CaseIterable {
    case counter, gauge, histogram, summary, untyped

    /// Suffixes a sample name may carry on top of the family name for this type.
    ///
    /// A histogram `x` owns `x_bucket`, `x_sum` and `x_count`; a summary owns `x`, `x_sum` and
    /// `x_count`. Counters own only their own name: prometheus_client declares `x` but writes
    /// `x_total` in both TYPE and samples, so no `_total` stripping is needed here.
    var sampleSuffixes: [String] {
        switch self {
        case .histogram: ["_bucket", "_sum", "_count"]
        case .summary: ["", "_sum", "_count"]
        case .counter, .gauge, .untyped: [""]
        }
    }
}
