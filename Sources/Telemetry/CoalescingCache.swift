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
        if let cached = values[key] { return cached }
        if let running = inFlight[key] { return try await running.value }
        fetches += 1
        let task = Task { try await fetch() }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        let result = try await task.value
        store(result, for: key)
        return result
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
