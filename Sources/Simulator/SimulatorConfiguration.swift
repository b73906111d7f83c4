public import Logging

/// Everything `buildSimulatorApplication` needs: where to listen, what to simulate, the seed and
/// the time source.
public struct SimulatorConfiguration: Sendable {
    public var host: String
    /// TCP port; 0 picks a free one (read it back through `onServerRunning`).
    public var port: Int
    public var fleet: LoadedFleet
    /// Seed for UUIDs, load phases and noise: the same seed gives the same output at the same time.
    public var seed: UInt64
    /// Elapsed-time source; defaults to the wall clock starting now.
    public var clock: SimulationClock
    public var logger: Logger
    /// Exporter faults injected at run time (`/faults` routes). A reference shared with the
    /// caller, so an embedding program or an in-process test can set faults without HTTP.
    public var faults = FaultBoard()

    public init(host: String, port: Int, fleet: LoadedFleet, seed: UInt64) {
        self.init(host: host, port: port, fleet: fleet, seed: seed, clock: .wall())
    }

    public init(host: String, port: Int, fleet: LoadedFleet, seed: UInt64, clock: SimulationClock, logger: Logger? = nil) {
        self.host = host
        self.port = port
        self.fleet = fleet
        self.seed = seed
        self.clock = clock
        var fallback = Logger(label: "aifactory.simulator")
        fallback.logLevel = .info
        self.logger = logger ?? fallback
    }
}
