public import Foundation

/// Slows down key guessing: after `limit` failed authentications from one client within
/// `window`, further attempts from it are refused with 429 until the window has passed.
///
/// Keys carry 256 bits, so guessing is hopeless anyway; the limiter keeps logs and the database
/// quiet under a scanner and makes a leaked-prefix brute force visibly throttled.
public actor FailedAuthLimiter {
    private var failures: [String: [Date]] = [:]
    public let limit: Int
    public let window: TimeInterval

    public init(limit: Int = 10, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// Seconds to wait before `client` may try again, or `nil` when it may try now.
    public func retryAfter(client: String, now: Date) -> Int? {
        let recent = (failures[client] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[client] = recent.isEmpty ? nil : recent
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
    }

    public func recordFailure(client: String, now: Date) {
        failures[client, default: []].append(now)
        if failures.count > 10_000 {
            failures = failures.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
        }
    }
}
