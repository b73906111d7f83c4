import Fleet

/// Nominal behaviour of a board class that the exporter does not report directly: clocks,
/// idle power, serving throughput. Only the simulator needs these.
struct BoardPhysics: Sendable {
    /// Boost SM clock under load, MHz.
    var maxSMClock: Double
    /// SM clock when idle, MHz.
    var idleSMClock: Double
    /// Memory clock as DCGM reports it, MHz.
    var memClock: Double
    /// Idle power as a fraction of the power limit.
    var idleFraction: Double
    /// Completed requests per second per GPU at full utilisation.
    var requestsPerSecond: Double
    /// Median time to first token, seconds.
    var ttftMedian: Double
    /// Median inter-token latency, seconds.
    var itlMedian: Double

    static func forClass(_ id: String) -> BoardPhysics {
        switch id {
        case "ada-16": BoardPhysics(maxSMClock: 2130, idleSMClock: 210, memClock: 8001, idleFraction: 0.12, requestsPerSecond: 1.5, ttftMedian: 0.18, itlMedian: 0.035)
        case "ada-48": BoardPhysics(maxSMClock: 2505, idleSMClock: 210, memClock: 10001, idleFraction: 0.08, requestsPerSecond: 4, ttftMedian: 0.09, itlMedian: 0.022)
        case "l40s-48": BoardPhysics(maxSMClock: 2520, idleSMClock: 210, memClock: 9001, idleFraction: 0.09, requestsPerSecond: 4.5, ttftMedian: 0.08, itlMedian: 0.02)
        case "a100-80": BoardPhysics(maxSMClock: 1410, idleSMClock: 210, memClock: 1593, idleFraction: 0.14, requestsPerSecond: 6, ttftMedian: 0.07, itlMedian: 0.018)
        case "h200-141": BoardPhysics(maxSMClock: 1980, idleSMClock: 345, memClock: 3201, idleFraction: 0.11, requestsPerSecond: 12, ttftMedian: 0.045, itlMedian: 0.011)
        default: BoardPhysics(maxSMClock: 1980, idleSMClock: 345, memClock: 2619, idleFraction: 0.11, requestsPerSecond: 10, ttftMedian: 0.05, itlMedian: 0.012)
        }
    }
}
