import ArgumentParser
import Foundation
import Simulator
import Stack

/// `aifactory demo`: simulated fleet + real Prometheus + AI Factory server, on loopback.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole product locally: simulated GPU fleet, a real Prometheus (and Alertmanager) and the server."
    )

    @Option(name: .customLong("state-dir"), help: "Directory for Prometheus data, logs and demo-credentials.json (reused on restart).")
    var stateDirectory = "state"

    @Option(help: "Port of the AI Factory server on 127.0.0.1.")
    var port = 8080

    @Option(name: .customLong("prometheus-port"), help: "Port for Prometheus (default: a free port).")
    var prometheusPort: Int?

    @Option(name: .customLong("simulator-port"), help: "Port for the simulated exporters (default: a free port).")
    var simulatorPort = 0

    @Option(help: "Fleet file (YAML); default: the embedded demo fleet.")
    var fleet: String?

    @Option(help: "Simulation seed.")
    var seed: UInt64 = 1

    @Option(name: .customLong("scrape-interval"), help: "Prometheus scrape interval in seconds.")
    var scrapeInterval = 5

    @Option(name: .customLong("alert-scale"), help: "Scale alert for: windows (1 = production, 0.1 = ten times faster).")
    var alertScale = 1.0

    @Option(name: .customLong("simulation-offset"), help: "Start this many seconds into the scenario timeline (faults begin at 90 s).")
    var simulationOffset = 0

    @Option(name: .customLong("history"),
            help: "Start with this much simulated past in Prometheus (e.g. 30m, 6h, 2d; at most 7d): the trends and range queries have data at once.")
    var history: String?

    @Option(name: .customLong("events-interval"), help: "Seconds between event-recorder polls (default: the scrape interval, at least 5).")
    var eventsInterval: Int?

    @Option(name: .customLong("health-limits"), help: "YAML file overriding health thresholds (docs/HEALTH.md); keys left out keep their default.")
    var healthLimits: String?

    @Option(name: .customLong("agent-nvml"), help: "Run one aifactory agent on this NVML library (e.g. the stand-in) beside the simulator, enrolled like a real GPU host (docs/AGENT.md).")
    var agentNVML: String?

    @Option(name: .customLong("agent-tools"), help: "Directory with the dcgmi and all_reduce_perf the demo agent runs for diagnostics (e.g. Tests/Fixtures/fake-tools); default: PATH.")
    var agentTools: String?

    @Flag(name: .customLong("victoria-metrics"),
          help: "The long-term layout: Prometheus also remote_writes into a local VictoriaMetrics (Debian's victoria-metrics) and the server reads that.")
    var victoriaMetrics = false

    func validate() throws {
        if let eventsInterval, !(1...3600).contains(eventsInterval) { throw ValidationError("--events-interval must be between 1 and 3600 seconds") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (1...300).contains(scrapeInterval) else { throw ValidationError("--scrape-interval must be between 1 and 300 seconds") }
        guard alertScale > 0, alertScale <= 10 else { throw ValidationError("--alert-scale must be greater than 0 and at most 10") }
        guard (0...864_000).contains(simulationOffset) else { throw ValidationError("--simulation-offset must be between 0 and 864000 seconds") }
        if let history {
            guard let duration = Self.duration(history), duration > .zero, duration <= .seconds(7 * 86_400) else {
                throw ValidationError("--history must be a duration from 1s to 7d, such as 30m, 6h or 2d (got \"\(history)\")")
            }
            if victoriaMetrics {
                throw ValidationError("--history writes Prometheus's own TSDB, which --victoria-metrics does not read (remote_write carries only new samples)")
            }
        }
        if let agentNVML, !FileManager.default.fileExists(atPath: agentNVML) {
            throw ValidationError("--agent-nvml: no file at \(agentNVML)")
        }
    }

    /// A `--history` value (`30m`, `6h`, `1h30m`, `2d`) as whole seconds.
    static func duration(_ text: String) -> Duration? {
        DurationText.seconds(text).map { .seconds(Int64($0.rounded())) }
    }

    func run() async throws {
        LoggingSetup.bootstrap()
        let loaded: LoadedFleet
        if let fleet {
            do {
                loaded = try FleetFile.load(path: fleet)
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
        } else {
            loaded = FleetFile.demo
        }
        let limits = try HealthLimitsOption.load(healthLimits)
        var configuration = DemoConfiguration(
            stateDirectory: stateDirectory,
            port: port,
            prometheusPort: prometheusPort,
            simulatorPort: simulatorPort,
            fleet: loaded,
            seed: seed,
            scrapeInterval: .seconds(scrapeInterval),
            simulationOffset: .seconds(simulationOffset),
            alertDurationScale: alertScale,
            healthLimits: limits,
            eventsInterval: eventsInterval.map { .seconds($0) },
            agentNVMLLibrary: agentNVML,
            agentToolsDirectory: agentTools
        )
        configuration.victoriaMetrics = victoriaMetrics
        configuration.history = history.flatMap(Self.duration) ?? .zero
        let path = stateDirectory
        do {
            try await DemoStack(configuration).run { credentials in
                var lines = [
                    "AI Factory demo is up.",
                    "  URL:         \(credentials.url)  (health: \(credentials.url)/healthz)",
                    "  Prometheus:  \(credentials.prometheusURL)",
                    "  Simulator:   \(credentials.simulatorURL)/targets",
                    "  Credentials: \(path)/demo-credentials.json",
                ]
                if let metrics = credentials.metricsURL {
                    lines.insert("  Long-term:   \(metrics)  (VictoriaMetrics; the server reads it)", at: 3)
                }
                if let alertmanager = credentials.alertmanagerURL {
                    lines.insert("  Alertmanager: \(alertmanager)", at: 3)
                }
                for tenant in credentials.tenants {
                    lines.append("    \(tenant.role.padding(toLength: 9, withPad: " ", startingAt: 0)) \(tenant.tenant)")
                }
                lines.append("Press Ctrl-C to stop.")
                // Unbuffered: a script waiting on this banner through a pipe sees it at once.
                FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            }
        } catch {
            try CLIErrors.exit(for: error, context: "demo")
        }
    }
}
