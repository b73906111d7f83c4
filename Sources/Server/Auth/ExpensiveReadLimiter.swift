public import Foundation

/// Limits each identity's expensive reads (a 30-day reliability, the fleet's alert list, the
/// node check's three queries, a week of trend points) to `limit` per `window`.
///
/// The answers are already shared per interval by the read model's caches, so one identity
/// polling hard cannot make the backend work harder; this bounds what it can make the *server*
/// do (store reads, cache bookkeeping, encoding) and answers the excess 429 with `Retry-After`.
/// Keyed on the key that authenticated the request, never the address, so a proxy's shared
/// address does not pool unrelated users. Fixed windows: one counter per identity.
public actor ExpensiveReadLimiter {
    public let limit: Int
    public let window: Duration
    private var counters: [String: (start: Date, count: Int)] = [:]

    public init(limit: Int = 300, window: Duration = .seconds(60)) {
        self.limit = max(1, limit)
        self.window = window
    }

    /// Counts one read for `identity` at `now`; `nil` when admitted, else the seconds to wait.
    public func admit(_ identity: String, now: Date) -> Int? {
        let seconds = Double(window.components.seconds)
        var counter = counters[identity] ?? (now, 0)
        if now.timeIntervalSince(counter.start) >= seconds { counter = (now, 0) }
        guard counter.count < limit else {
            return max(1, Int((seconds - now.timeIntervalSince(counter.start)).rounded(.up)))
        }
        counter.count += 1
        counters[identity] = counter
        if counters.count > 10_000 { counters = counters.filter { now.timeIntervalSince($0.value.start) < seconds } }
        return nil
    }

    /// Whether `path` is one of the expensive reads.
    nonisolated static func isExpensive(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        guard parts.count >= 4, parts[0] == "api", parts[1] == "v1" else { return false }
        switch (parts[2], parts.count) {
        case ("factory", 4): return ["reliability", "alerts", "validate", "usage", "costs"].contains(parts[3])
        case ("factory", 6): return parts[3] == "nodes" && parts[5] == "trend"
        case ("admin", 6): return parts[3] == "nodes" && parts[5] == "check"
        default: return false
        }
    }
}
