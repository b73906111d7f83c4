/// Where the simulator gets "seconds since start" from.
///
/// Production uses the wall clock from the moment the configuration was made; tests pass a fixed
/// or stepped source so nothing ever sleeps.
public struct SimulationClock: Sendable {
    public let elapsed: @Sendable () -> Double

    public init(elapsed: @escaping @Sendable () -> Double) {
        self.elapsed = elapsed
    }

    /// Real time since `start`.
    public static func wall(since start: ContinuousClock.Instant = .now) -> SimulationClock {
        SimulationClock {
            let duration = ContinuousClock.now - start
            return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
    }

    /// Always `seconds`.
    public static func fixed(_ seconds: Double) -> SimulationClock {
        SimulationClock { seconds }
    }
}
