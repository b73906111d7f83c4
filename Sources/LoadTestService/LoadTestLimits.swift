/// Server-wide bounds on load tests, so one tenant's test cannot exhaust the server's sockets,
/// memory or file descriptors (docs/SECURITY.md "Load tests").
///
/// The in-flight bound is split evenly over the tests that may run at once, so the server-wide
/// figure holds without a counter shared between tests' event loops.
public struct LoadTestLimits: Sendable, Hashable {
    /// Tests running at once across every tenant; one more answers 503 with `Retry-After`.
    public var maxConcurrentTests: Int
    /// Requests in flight across every running test.
    public var maxInFlightTotal: Int
    /// Longest a single request may take before it counts as a timeout.
    public var requestTimeout: Duration

    public init(maxConcurrentTests: Int = 4, maxInFlightTotal: Int = 1024, requestTimeout: Duration = .seconds(120)) {
        self.maxConcurrentTests = max(1, maxConcurrentTests)
        self.maxInFlightTotal = max(1, maxInFlightTotal)
        self.requestTimeout = requestTimeout
    }

    /// Requests one test may have in flight: its share of `maxInFlightTotal`.
    public var maxInFlightPerTest: Int { max(1, maxInFlightTotal / maxConcurrentTests) }
}
