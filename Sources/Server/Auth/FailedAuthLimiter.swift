public import Foundation

/// Slows down credential guessing without locking anyone else out.
///
/// Failures are counted twice: per presented credential (the API key's non-secret prefix, so
/// guesses at one key are stopped after `credentialLimit`) and per client address with a much
/// higher `addressLimit` (a scanner cycling through prefixes is still throttled, while a proxy
/// or office address shared by many people is not locked out by a few typos).
///
/// The limiter only ever refuses credentials that did not authenticate: the caller checks the
/// credential first and asks `retryAfter` only for a failure, so a valid key answers normally
/// however many others failed from the same address or on the same prefix. Keys carry 256 bits,
/// so guessing is hopeless anyway; the limiter keeps logs and the database quiet under a scanner
/// and makes a brute force visibly throttled (docs/SECURITY.md).
public actor FailedAuthLimiter {
    private var failures: [String: [Date]] = [:]
    /// Failures on one credential within `window` before it answers 429.
    public let credentialLimit: Int
    /// Failures from one client address within `window` before its failures answer 429.
    public let addressLimit: Int
    public let window: TimeInterval

    public init(credentialLimit: Int = 10, addressLimit: Int = 200, window: TimeInterval = 60) {
        self.credentialLimit = max(1, credentialLimit)
        self.addressLimit = max(1, addressLimit)
        self.window = window
    }

    /// Seconds to wait before a failed attempt with `credential` from `address` may be answered
    /// with anything but 429, or `nil` when neither has reached its limit.
    public func retryAfter(credential: String?, address: String, now: Date) -> Int? {
        var waits: [Int] = []
        if let credential, let wait = wait(Self.credentialKey(credential), limit: credentialLimit, now: now) { waits.append(wait) }
        if let wait = wait(Self.addressKey(address), limit: addressLimit, now: now) { waits.append(wait) }
        return waits.max()
    }

    /// Counts one failure against the credential (when it has a prefix) and the address.
    public func recordFailure(credential: String?, address: String, now: Date) {
        if let credential { record(Self.credentialKey(credential), limit: credentialLimit, now: now) }
        record(Self.addressKey(address), limit: addressLimit, now: now)
        if failures.count > 10_000 {
            failures = failures.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
        }
    }

    private static func credentialKey(_ credential: String) -> String { "credential:" + credential }
    private static func addressKey(_ address: String) -> String { "address:" + address }

    private func wait(_ key: String, limit: Int, now: Date) -> Int? {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
    }

    /// Keeps at most `limit` times per key (the newest): enough to decide, bounded under a flood.
    private func record(_ key: String, limit: Int, now: Date) {
        var times = failures[key, default: []]
        times.append(now)
        if times.count > limit { times.removeFirst(times.count - limit) }
        failures[key] = times
    }
}
