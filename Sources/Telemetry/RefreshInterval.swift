public import Foundation

/// One refresh interval: the bucket arithmetic every per-interval read shares.
///
/// Readers evaluate at the start of the current interval and key caches by the interval's number,
/// so every viewer within one interval shares one upstream round and sees the same instant.
public struct RefreshInterval: Sendable, Hashable {
    /// Whole seconds, at least one.
    public let seconds: Int64

    public init(_ duration: Duration) {
        self.seconds = max(1, duration.components.seconds)
    }

    public init(seconds: Int64) {
        self.seconds = max(1, seconds)
    }

    public var duration: Duration { .seconds(seconds) }

    /// The number of the interval that holds `date`.
    public func bucket(at date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970) / seconds
    }

    /// When interval `bucket` starts.
    public func start(ofBucket bucket: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(bucket * seconds))
    }

    /// When the interval holding `date` starts (the instant a read at `date` evaluates).
    public func start(at date: Date) -> Date {
        start(ofBucket: bucket(at: date))
    }
}
