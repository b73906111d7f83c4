extension MetricFamily {
    /// Problems of every histogram series in this family; empty when all are complete and
    /// consistent, and always empty for non-histogram families.
    ///
    /// Checks per series: an `le="+Inf"` bucket, `_sum`, `_count`, numeric `le` bounds, buckets
    /// non-decreasing in `le` order, and `_count` equal to the `+Inf` bucket.
    public func histogramProblems() -> [HistogramProblem] {
        guard type == .histogram else { return [] }
        struct Series {
            var labels: [Label]
            var buckets: [(bound: Double, le: String, value: Double)] = []
            var sum: Double?
            var count: Double?
            var missingBound = false
            var badBounds: [String] = []
        }
        var order: [[Label]] = []
        var series: [[Label]: Series] = [:]
        for sample in samples {
            let key = sample.labels.filter { $0.name != "le" }
            if series[key] == nil {
                order.append(key)
                series[key] = Series(labels: key)
            }
            switch String(sample.name.dropFirst(name.count)) {
            case "_bucket":
                guard let le = sample[label: "le"] else {
                    series[key]?.missingBound = true
                    continue
                }
                guard let bound = ExpositionParser.parseFloat(Substring(le)) else {
                    series[key]?.badBounds.append(le)
                    continue
                }
                series[key]?.buckets.append((bound, le, sample.value))
            case "_sum": series[key]?.sum = sample.value
            case "_count": series[key]?.count = sample.value
            default: continue
            }
        }
        var problems: [HistogramProblem] = []
        for key in order {
            guard let one = series[key] else { continue }
            func add(_ kind: HistogramProblem.Kind) {
                problems.append(HistogramProblem(family: name, labels: key, kind: kind))
            }
            if one.missingBound { add(.missingBound) }
            for le in one.badBounds { add(.badBound(le: le)) }
            let sorted = one.buckets.sorted { $0.bound < $1.bound }
            var previous = -Double.infinity
            for bucket in sorted {
                if bucket.value < previous { add(.nonMonotonic(le: bucket.le)) }
                previous = max(previous, bucket.value)
            }
            let inf = sorted.last.flatMap { $0.bound == .infinity ? $0.value : nil }
            if inf == nil { add(.missingInfBucket) }
            if one.sum == nil { add(.missingSum) }
            if let count = one.count {
                if let inf, inf != count { add(.countMismatch(count: count, infBucket: inf)) }
            } else {
                add(.missingCount)
            }
        }
        return problems
    }

    /// `true` when this is a histogram with no problems.
    public var isCompleteHistogram: Bool {
        type == .histogram && histogramProblems().isEmpty
    }
}
