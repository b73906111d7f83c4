public import Foundation

/// Remembers the last successful answer per key so an outage can be served as stale data.
///
/// Keys here omit the time bucket: "the latest overview of tenant acme", whatever interval it
/// came from.
public actor LastKnownGood<Key: Hashable & Sendable, Value: Sendable> {
    private var entries: [Key: (value: Value, at: Date)] = [:]

    public init() {}

    /// Runs `fetch`; on success records and returns it fresh. When `fetch` fails with an
    /// upstream outage and an earlier answer exists, returns that answer marked stale with
    /// `reason`; otherwise rethrows.
    public func read(
        _ key: Key,
        now: Date,
        isOutage: @Sendable (any Error) -> Bool,
        reason: @Sendable (any Error) -> String,
        fetch: @Sendable () async throws -> Value
    ) async throws -> Freshness<Value> {
        try await read(key, isOutage: isOutage, reason: reason) { (try await fetch(), now) }
    }

    /// As above, for a fetch that says when its answer is from (a cache may serve the previous
    /// interval's answer while the current one is fetched).
    public func read(
        _ key: Key,
        isOutage: @Sendable (any Error) -> Bool,
        reason: @Sendable (any Error) -> String,
        fetch: @Sendable () async throws -> (value: Value, asOf: Date)
    ) async throws -> Freshness<Value> {
        do {
            let (value, asOf) = try await fetch()
            if entries[key].map({ $0.at <= asOf }) ?? true { entries[key] = (value, asOf) }
            return Freshness(value: value, stale: false, asOf: asOf)
        } catch {
            guard isOutage(error), let last = entries[key] else { throw error }
            return Freshness(value: last.value, stale: true, asOf: last.at, reason: reason(error))
        }
    }
}
