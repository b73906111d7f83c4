/// Why the load-test service refused a test, in words a person can act on; the HTTP layer maps
/// each case to 503 (with `Retry-After` where waiting helps) in one place.
public enum LoadTestServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// As many tests run server-wide as the limits allow.
    case busy(maxConcurrentTests: Int)
    /// The service is stopping: no new test starts.
    case shuttingDown

    public var description: String {
        switch self {
        case .busy(let max): "the server already runs \(max) load tests; start this one when one of them ends"
        case .shuttingDown: "the server is shutting down; start the load test again later"
        }
    }

    /// Seconds a client should wait before asking again, when waiting helps.
    public var retryAfterSeconds: Int? {
        switch self {
        case .busy: 30
        case .shuttingDown: nil
        }
    }
}
