/// Something wrong with one histogram series (one label set without `le`).
///
/// Real exposition can be cut short (the vLLM docs' sample stops at `le="0.1"` with no `+Inf` and
/// no `_sum`), so consumers ask for the problems instead of assuming a histogram is complete, and
/// a quantile is only computed from a series with none.
public struct HistogramProblem: Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: Sendable, Hashable {
        /// No `le="+Inf"` bucket.
        case missingInfBucket
        /// No `_sum` sample.
        case missingSum
        /// No `_count` sample.
        case missingCount
        /// A bucket has a smaller count than the bucket below it.
        case nonMonotonic(le: String)
        /// An `le` label that is not a number.
        case badBound(le: String)
        /// `_count` differs from the `+Inf` bucket.
        case countMismatch(count: Double, infBucket: Double)
        /// `_bucket` sample without an `le` label.
        case missingBound
    }

    /// The family name.
    public var family: String
    /// The series' labels, `le` excluded, in written order.
    public var labels: [Label]
    public var kind: Kind

    public init(family: String, labels: [Label], kind: Kind) {
        self.family = family
        self.labels = labels
        self.kind = kind
    }

    public var description: String {
        let series = family + "{" + labels.map(\.description).joined(separator: ",") + "}"
        switch kind {
        case .missingInfBucket: return "\(series): incomplete histogram: no le=\"+Inf\" bucket"
        case .missingSum: return "\(series): incomplete histogram: no _sum"
        case .missingCount: return "\(series): incomplete histogram: no _count"
        case .nonMonotonic(let le): return "\(series): bucket le=\"\(le)\" is smaller than the bucket below it"
        case .badBound(let le): return "\(series): le=\"\(le)\" is not a number"
        case .countMismatch(let count, let inf): return "\(series): _count \(count) differs from the +Inf bucket \(inf)"
        case .missingBound: return "\(series): _bucket sample without an le label"
        }
    }
}
