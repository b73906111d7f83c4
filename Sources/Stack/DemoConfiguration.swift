public import Fleet
public import Simulator

/// What `aifactory demo` starts: state directory, ports, fleet and seed.
public struct DemoConfiguration: Sendable {
    /// Holds the Prometheus TSDB, generated config, logs and `demo-credentials.json`.
    public var stateDirectory: String
    /// Bind host for every component (loopback).
    public var host: String
    /// Port of the AI Factory server.
    public var port: Int
    /// Port of Prometheus; `nil` picks a free one.
    public var prometheusPort: Int?
    /// Port of the simulator; `0` lets the kernel choose.
    public var simulatorPort: Int
    /// The simulated fleet.
    public var fleet: LoadedFleet
    /// Seed of the simulation (same seed, same fleet behaviour).
    public var seed: UInt64
    /// Prometheus scrape interval; short so the demo moves.
    public var scrapeInterval: Duration
    /// Where on the scenario timeline the simulation starts (e.g. 10 min in: faults already on).
    public var simulationOffset: Duration
    /// How much simulated past Prometheus holds at start (`--history`): the simulation over
    /// `[simulationOffset, simulationOffset + history)` is written as TSDB blocks stamped with
    /// the last `history` of wall-clock time, and the live simulation carries on from there.
    public var history: Duration = .zero
    /// Scales every alert `for:` and range window (1 = production; 0.1 for fast tests).
    public var alertDurationScale: Double
    /// Health thresholds for the health model and the event recorder (`--health-limits`).
    public var healthLimits: HealthLimits
    /// What happens when Prometheus exits on its own (restarted after a pause by default).
    public var prometheusRestart: PrometheusService.RestartPolicy
    /// Pause between event-recorder polls; `nil`: the scrape interval, at least 5 s.
    public var eventsInterval: Duration?
    /// An NVML library (the stand-in) to run one enrolled `aifactory agent` on; `nil`: none.
    public var agentNVMLLibrary: String?
    /// Where the demo agent finds `dcgmi` and `all_reduce_perf`; `nil`: on `PATH`.
    public var agentToolsDirectory: String?
    /// Run a real Alertmanager (Debian's `prometheus-alertmanager`) with the exported routing
    /// when it is installed; `false`: none, as on a machine without it.
    public var alertmanager: Bool
    /// Prometheus also `remote_write`s into a local VictoriaMetrics and the server reads that
    /// (the long-term layout of docs/DEPLOY.md); `false`: the server reads Prometheus.
    public var victoriaMetrics = false
    /// Pause between the demo consumer's requests through the gateway (DemoConsumerTraffic).
    public var consumerTrafficInterval: Duration = .seconds(2)

    public init(
        stateDirectory: String,
        host: String = "127.0.0.1",
        port: Int = 8080,
        prometheusPort: Int? = nil,
        simulatorPort: Int = 0,
        fleet: LoadedFleet,
        seed: UInt64 = 1,
        scrapeInterval: Duration = .seconds(5),
        simulationOffset: Duration = .zero,
        alertDurationScale: Double = 1.0,
        healthLimits: HealthLimits = .default,
        prometheusRestart: PrometheusService.RestartPolicy = .standard,
        eventsInterval: Duration? = nil,
        agentNVMLLibrary: String? = nil,
        agentToolsDirectory: String? = nil,
        alertmanager: Bool = true
    ) {
        self.agentToolsDirectory = agentToolsDirectory
        self.alertmanager = alertmanager
        self.stateDirectory = stateDirectory
        self.host = host
        self.port = port
        self.prometheusPort = prometheusPort
        self.simulatorPort = simulatorPort
        self.fleet = fleet
        self.seed = seed
        self.scrapeInterval = scrapeInterval
        self.simulationOffset = simulationOffset
        self.alertDurationScale = alertDurationScale
        self.healthLimits = healthLimits
        self.prometheusRestart = prometheusRestart
        self.eventsInterval = eventsInterval
        self.agentNVMLLibrary = agentNVMLLibrary
    }
}
