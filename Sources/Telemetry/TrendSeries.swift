public import Foundation

/// One GPU's history of one metric, for the node detail's trend chart.
public struct TrendSeries: Sendable, Hashable {
    /// Which signal a trend shows, as the API spells it.
    public enum Metric: String, Sendable, Hashable, CaseIterable {
        case utilisation, temperature, memory, power

        /// The query, before scoping (percent, °C, percent of framebuffer, watts).
        public var query: String {
            switch self {
            case .utilisation: #"DCGM_FI_DEV_GPU_UTIL{job="dcgm"}"#
            case .temperature: #"DCGM_FI_DEV_GPU_TEMP{job="dcgm"}"#
            case .memory:
                #"100 * DCGM_FI_DEV_FB_USED{job="dcgm"} / (DCGM_FI_DEV_FB_USED{job="dcgm"} + DCGM_FI_DEV_FB_FREE{job="dcgm"})"#
            case .power: #"DCGM_FI_DEV_POWER_USAGE{job="dcgm"}"#
            }
        }

        public var unit: String {
            switch self {
            case .utilisation, .memory: "%"
            case .temperature: "°C"
            case .power: "W"
            }
        }
    }

    /// How far back a trend reaches, as the API spells it.
    public enum Range: String, Sendable, Hashable, CaseIterable {
        case hour = "1h", sixHours = "6h", day = "24h", week = "7d"

        public var seconds: Int64 {
            switch self {
            case .hour: 3600
            case .sixHours: 21_600
            case .day: 86_400
            case .week: 604_800
            }
        }

        /// `range / maxPoints` rounded up to whole seconds, so `maxPoints` steps cover the range.
        public var step: Int64 { (seconds + Int64(TrendSeries.maxPoints) - 1) / Int64(TrendSeries.maxPoints) }
    }

    /// Points per series, at most (the chart is ~300 px wide).
    public static let maxPoints = 300

    public struct Point: Sendable, Hashable {
        public var time: Date
        public var value: Double

        public init(time: Date, value: Double) {
            self.time = time
            self.value = value
        }
    }

    public var gpu: Int
    public var uuid: String?
    public var points: [Point]

    public init(gpu: Int, uuid: String?, points: [Point]) {
        self.gpu = gpu
        self.uuid = uuid
        self.points = points
    }
}
