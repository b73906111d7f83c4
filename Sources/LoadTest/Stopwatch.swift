/// Monotonic nanoseconds since the start of a run.
///
/// Every timestamp of a load test (request start, each SSE event, request end, schedule times)
/// is an offset from one origin, so differences are exact integers and cheap to take; the
/// continuous clock keeps counting while the machine sleeps, so no interval is ever negative.
public struct Stopwatch: Sendable {
    public let origin: ContinuousClock.Instant

    public init(origin: ContinuousClock.Instant = .now) {
        self.origin = origin
    }

    /// Nanoseconds from the origin to now.
    @inline(__always)
    public func now() -> UInt64 {
        nanos(at: .now)
    }

    /// Nanoseconds from the origin to `instant` (0 when `instant` is earlier).
    public func nanos(at instant: ContinuousClock.Instant) -> UInt64 {
        let duration = instant - origin
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }

    /// The instant `nanos` after the origin.
    public func instant(at nanos: UInt64) -> ContinuousClock.Instant {
        origin.advanced(by: .nanoseconds(Int64(clamping: nanos)))
    }
}
