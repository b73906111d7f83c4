public import Foundation

/// A value with how fresh it is: live, or the last known answer while the backend is in trouble.
///
/// When Prometheus is down, slow or answering garbage the API keeps showing the last good data
/// under a stale banner instead of failing: `stale` says so, `asOf` says from when, `reason`
/// says why in words a person can act on.
public struct Freshness<Value: Sendable>: Sendable {
    public var value: Value
    public var stale: Bool
    public var asOf: Date
    public var reason: String?

    public init(value: Value, stale: Bool, asOf: Date, reason: String? = nil) {
        self.value = value
        self.stale = stale
        self.asOf = asOf
        self.reason = reason
    }
}

extension Freshness: Equatable where Value: Equatable {}
