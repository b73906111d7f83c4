import Histogram

/// Summary statistics of one metric, named and shaped like an AIPerf export record
/// (`unit`, `avg`, `min`, `max`, `p1` … `p99`, `std`), plus the sample count.
public struct MetricStats: Sendable, Codable, Equatable {
    public var unit: String
    public var avg: Double
    public var min: Double
    public var max: Double
    public var p1: Double
    public var p5: Double
    public var p10: Double
    public var p25: Double
    public var p50: Double
    public var p75: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double
    public var std: Double
    public var count: Int
    /// A single value (throughputs, counts): AIPerf exports only `avg` for these.
    public var isScalar = false

    public init(unit: String, avg: Double, min: Double, max: Double, p50: Double, p90: Double, p95: Double, p99: Double, std: Double, count: Int,
                p1: Double? = nil, p5: Double? = nil, p10: Double? = nil, p25: Double? = nil, p75: Double? = nil) {
        self.unit = unit
        self.avg = avg
        self.min = min
        self.max = max
        self.p1 = p1 ?? min
        self.p5 = p5 ?? min
        self.p10 = p10 ?? min
        self.p25 = p25 ?? p50
        self.p75 = p75 ?? p90
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.std = std
        self.count = count
    }

    /// A single value (throughputs): every statistic is that value.
    public static func scalar(_ value: Double, unit: String) -> MetricStats {
        var stats = MetricStats(unit: unit, avg: value, min: value, max: value, p50: value, p90: value, p95: value, p99: value, std: 0, count: 1,
                                p1: value, p5: value, p10: value, p25: value, p75: value)
        stats.isScalar = true
        return stats
    }

    /// The statistic a percentile names (`50`, `90`, `95`, `99`; anything else reads `max`).
    public func value(atPercentile percentile: Int) -> Double {
        switch percentile {
        case 50: p50
        case 90: p90
        case 95: p95
        case 99: p99
        default: max
        }
    }
}

/// An HDR histogram of durations or counts recorded in integer units (nanoseconds or tokens),
/// reported in a display unit (`scale` units per display unit, e.g. 1e6 ns per ms).
///
/// Three significant digits: percentiles are within 0.1 % of the exact value at any magnitude,
/// with constant memory however many requests a run makes.
struct MetricHistogram: Sendable {
    private(set) var histogram = Histogram<UInt64>(highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: .three)
    let unit: String
    let scale: Double

    init(unit: String, scale: Double) {
        self.unit = unit
        self.scale = scale
        histogram.autoResize = true
    }

    mutating func record(_ value: UInt64) {
        _ = histogram.record(value)
    }

    var isEmpty: Bool { histogram.totalCount == 0 }

    /// One percentile in the display unit (`nil` when empty): a single pass over the counts,
    /// where `stats` makes eleven. The live progress line reads this once a second; reading
    /// full `stats` there was a tenth of the generator's CPU.
    func value(atPercentile percentile: Double) -> Double? {
        guard histogram.totalCount > 0 else { return nil }
        return Double(histogram.valueAtPercentile(percentile)) / scale
    }

    /// Statistics in the display unit, or `nil` when nothing was recorded.
    var stats: MetricStats? {
        guard histogram.totalCount > 0 else { return nil }
        func at(_ p: Double) -> Double { Double(histogram.valueAtPercentile(p)) / scale }
        return MetricStats(
            unit: unit, avg: histogram.mean / scale, min: Double(histogram.min) / scale, max: Double(histogram.max) / scale,
            p50: at(50), p90: at(90), p95: at(95), p99: at(99), std: histogram.stdDeviation / scale,
            count: Int(histogram.totalCount), p1: at(1), p5: at(5), p10: at(10), p25: at(25), p75: at(75))
    }
}
