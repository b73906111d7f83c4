public import Foundation

/// One sample of a series: its time and value.
public struct TimedValue: Sendable, Hashable, Codable {
    /// Sample timestamp (Prometheus's, not the time it was read).
    public var time: Date
    /// Sample value, raw: may be a DCGM blank (see `DCGMBlank`).
    public var value: Double

    public init(time: Date, value: Double) {
        self.time = time
        self.value = value
    }
}
