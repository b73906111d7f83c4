import Foundation
public import Logging
public import ServiceLifecycle

/// Where and how the demo's long-term store runs (`aifactory demo --victoria-metrics`, Debian's
/// `victoria-metrics`): the layout of docs/DEPLOY.md "Long-term metrics" on one machine.
/// Prometheus scrapes and evaluates the rules as always and `remote_write`s every sample here; the
/// server reads telemetry from here. Rules and alerts are Prometheus's: VictoriaMetrics proxies
/// `/api/v1/rules` and `/api/v1/alerts` to it (`-vmalert.proxyURL`), so the one URL the server
/// reads answers everything it asks.
public struct VictoriaMetricsRuntime: Sendable, Hashable {
    public var binary: String
    public var host: String
    public var port: Int
    public var storagePath: String
    public var logPath: String
    public var pidPath: String

    public init(binary: String, host: String = "127.0.0.1", port: Int, stateDirectory: String) {
        self.binary = binary
        self.host = host
        self.port = port
        self.storagePath = stateDirectory + "/victoria-metrics"
        self.logPath = stateDirectory + "/victoria-metrics.log"
        self.pidPath = stateDirectory + "/victoria-metrics.pid"
    }

    /// The Prometheus-compatible query API (`/api/v1/query`, …).
    public var url: String { "http://\(host):\(port)" }

    /// Where Prometheus's `remote_write` sends samples.
    public var writeURL: String { url + "/api/v1/write" }

    func arguments(rulesFrom prometheusURL: String) -> [String] {
        [
            "-httpListenAddr=\(host):\(port)",
            "-storageDataPath=\(storagePath)",
            "-retentionPeriod=1y",
            "-vmalert.proxyURL=\(prometheusURL)",
            // By default the newest 30 s are held back from queries (samples still arriving);
            // remote_write from one Prometheus is in order, and the page shows live values.
            "-search.latencyOffset=1s",
            "-loggerLevel=WARN",
        ]
    }

    public static func locateBinary() -> String? {
        PrometheusRuntime.locateBinary(named: "victoria-metrics") ?? PrometheusRuntime.locateBinary(named: "victoria-metrics-prod")
    }
}

/// Runs VictoriaMetrics as a child of the demo until shutdown. Unlike the Alertmanager, a store
/// that exits on its own ends the demo: every read the page makes goes to it.
public struct VictoriaMetricsService: Service {
    public let runtime: VictoriaMetricsRuntime
    let prometheusURL: String
    let ready: Rendezvous<String>
    let logger: Logger

    public init(runtime: VictoriaMetricsRuntime, prometheusURL: String, ready: Rendezvous<String> = Rendezvous(),
                logger: Logger = Logger(label: "aifactory.victoria-metrics")) {
        self.runtime = runtime
        self.prometheusURL = prometheusURL
        self.ready = ready
        self.logger = logger
    }

    public func run() async throws {
        try FileManager.default.createDirectory(atPath: runtime.storagePath, withIntermediateDirectories: true)
        await StaleChildReaper.reap(pidFile: runtime.pidPath, marker: "-storageDataPath=\(runtime.storagePath)")
        guard PortProbe.isAvailable(host: runtime.host, port: runtime.port) else {
            throw StackError.addressInUse(host: runtime.host, port: runtime.port)
        }
        defer { try? FileManager.default.removeItem(atPath: runtime.pidPath) }
        try await CurrentChild.superviseUntilShutdown { current in
            let child = try ChildProcess(
                name: "victoria-metrics", executable: runtime.binary, arguments: runtime.arguments(rulesFrom: prometheusURL), logPath: runtime.logPath)
            guard current.adopt(child) else {
                _ = await child.terminate()
                return
            }
            StaleChildReaper.record(pid: child.pid, in: runtime.pidPath)
            try await ReadinessProbe.wait(for: runtime.url + "/health", name: "victoria-metrics", stillAlive: { child.isRunning })
            if child.isRunning { await ready.fulfil(runtime.url) }
            let status = await child.exitStatus()
            if current.isStopped { return }
            throw StackError.childExited(name: "victoria-metrics", status: status, logTail: child.logTail())
        }
    }
}
