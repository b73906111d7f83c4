import Foundation

/// A read shared within one refresh interval that falls back to its last good answer.
///
/// The shape of every tenant-facing telemetry read: one upstream round per key per interval
/// however many viewers ask (while a new interval is fetched, the others get the previous one,
/// with `asOf` naming it), and during an upstream outage the last good answer marked stale with
/// the reason. One type, so the five readers cannot drift apart in how they do it.
public struct IntervalRead<Value: Sendable>: Sendable {
    public let interval: RefreshInterval
    let cache: CoalescingCache<Value>
    let lastGood: LastKnownGood<String, Value>

    public init(interval: RefreshInterval, capacity: Int = 4096) {
        self.interval = interval
        self.cache = CoalescingCache(capacity: capacity)
        self.lastGood = LastKnownGood()
    }

    /// The answer for `key`'s interval (or the previous one while it is fetched); in an outage the
    /// last good answer under `lastGoodKey` (a key without the interval), marked stale.
    public func latest(
        _ key: CacheKey, lastGoodKey: String, fetch: @escaping @Sendable () async throws -> Value
    ) async throws -> Freshness<Value> {
        let cache = self.cache
        let interval = self.interval
        return try await lastGood.read(lastGoodKey, isOutage: UpstreamTrouble.isOutage, reason: UpstreamTrouble.staleReason) {
            let (value, bucket) = try await cache.latest(for: key, fetch: fetch)
            return (value, interval.start(ofBucket: bucket))
        }
    }
}
