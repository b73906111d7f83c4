import Foundation

/// Where and how the demo's Alertmanager child runs (Debian's `prometheus-alertmanager`).
///
/// Files live in the demo state directory beside Prometheus's: `alertmanager.yml` (the product's
/// own routing, `Export.AlertmanagerConfig`), `alertmanager/` (silences and the notification
/// log, kept between runs), `alertmanager.log`, and `alertmanager.pid` while it runs — the file
/// a test reads to stop it and see "Alertmanager down".
public struct AlertmanagerRuntime: Sendable, Hashable {
    /// Path of the binary.
    public var binary: String
    /// Bind host; always loopback for the embedded stack.
    public var host: String
    /// Bind port.
    public var port: Int
    /// Generated configuration file.
    public var configPath: String
    /// `--storage.path`: silences and the notification log.
    public var storagePath: String
    /// File receiving Alertmanager's own output.
    public var logPath: String
    /// Pid of the running child (removed when it stops), for tests and for reaping an orphan
    /// left by a SIGKILLed demo.
    public var pidPath: String

    public init(binary: String, host: String = "127.0.0.1", port: Int, stateDirectory: String) {
        self.binary = binary
        self.host = host
        self.port = port
        self.configPath = stateDirectory + "/alertmanager.yml"
        self.storagePath = stateDirectory + "/alertmanager"
        self.logPath = stateDirectory + "/alertmanager.log"
        self.pidPath = Self.pidPath(stateDirectory: stateDirectory)
    }

    /// `<state>/alertmanager.pid`.
    public static func pidPath(stateDirectory: String) -> String { stateDirectory + "/alertmanager.pid" }

    /// Base URL of the HTTP API (`/api/v2/alerts`, `/-/ready`).
    public var url: String { "http://\(host):\(port)" }

    /// `host:port`, as Prometheus's `alerting` block names it.
    public var address: String { "\(host):\(port)" }

    /// Command-line arguments for the child.
    var arguments: [String] {
        [
            "--config.file=\(configPath)",
            "--storage.path=\(storagePath)",
            "--web.listen-address=\(host):\(port)",
            // Empty: no gossip listener. A single local instance has no peers, and the default
            // (0.0.0.0:9094) would open a port on every interface and clash between two demos.
            "--cluster.listen-address=",
        ]
    }

    /// The installed binary: Debian names it `prometheus-alertmanager`, upstream `alertmanager`.
    public static func locateBinary() -> String? {
        PrometheusRuntime.locateBinary(named: "prometheus-alertmanager") ?? PrometheusRuntime.locateBinary(named: "alertmanager")
    }
}
