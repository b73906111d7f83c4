/// A cache that answers identical concurrent reads with one upstream request.
///
/// Many viewers of one tenant's wall display refresh at the same moment; without coalescing
/// each costs an upstream query. The first caller for a key starts the fetch; every caller that
/// arrives while it runs awaits the same task; the result is kept until `capacity` pushes it
/// out (buckets make older keys unreachable anyway). Failures are not cached, so the next read
/// retries.
///
/// - Important: the fetch runs in a task owned by the cache (it must outlive any one caller's
///   cancellation, or one impatient viewer would cancel everyone's answer). It is bounded by the
///   upstream client's own timeout.
public actor CoalescingCache<Value: Sendable> {
    private var values: [CacheKey: Value] = [:]
    private var order: [CacheKey] = []
    private var inFlight: [CacheKey: Task<Value, any Error>] = [:]
    public let capacity: Int
    /// Upstream fetches started (for tests and the coalescing benchmark).
    public private(set) var fetches = 0

    public init(capacity: Int = 4096) {
        self.capacity = max(1, capacity)
    }

    /// The cached value for `key`, or the result of `fetch`, shared with concurrent callers.
    public func value(for key: CacheKey, fetch: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await latest(for: key, fetch: fetch).value
    }

    /// Like `value(for:fetch:)`, but while the fetch for a new bucket is running, callers other than
    /// the one that started it get the previous bucket's value at once (stale-while-revalidate).
    ///
    /// At a bucket boundary every viewer used to wait for the one upstream round (tens of ms): a
    /// latency spike for all of them once per interval. Now only the first caller waits; the answer
    /// the others get is at most one interval older, and `bucket` says which interval it is from so
    /// the response's `asOf` stays true.
    public func latest(for key: CacheKey, fetch: @escaping @Sendable () async throws -> Value) async throws -> (value: Value, bucket: Int64) {
        if let cached = values[key] { return (cached, key.bucket) }
        if let running = inFlight[key] {
            var previous = key
            previous.bucket -= 1
            if let earlier = values[previous] { return (earlier, previous.bucket) }
            return (try await running.value, key.bucket)
        }
        fetches += 1
        let task = Task { try await fetch() }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        let result = try await task.value
        store(result, for: key)
        return (result, key.bucket)
    }

    /// Drops every cached value (in-flight fetches continue).
    public func removeAll() {
        values = [:]
        order = []
    }

    private func store(_ value: Value, for key: CacheKey) {
        if values.updateValue(value, forKey: key) == nil { order.append(key) }
        while order.count > capacity {
            let evicted = order.removeFirst()
            values[evicted] = nil
        }
    }
}
