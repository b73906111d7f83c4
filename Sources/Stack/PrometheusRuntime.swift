import Foundation

/// Where and how the local Prometheus child runs.
public struct PrometheusRuntime: Sendable, Hashable {
    /// Path of the `prometheus` binary.
    public var binary: String
    /// Bind host; always loopback for the embedded stack.
    public var host: String
    /// Bind port.
    public var port: Int
    /// TSDB directory; kept between runs so a second start reuses history.
    public var dataDirectory: String
    /// Generated configuration file.
    public var configPath: String
    /// File receiving Prometheus' own output.
    public var logPath: String
    /// Pid of the running child, so a start after a SIGKILLed parent can stop the orphan.
    public var pidPath: String
    /// TSDB retention (Prometheus duration).
    public var retention: String

    public init(binary: String, host: String = "127.0.0.1", port: Int, stateDirectory: String, retention: String = "15d") {
        self.binary = binary
        self.host = host
        self.port = port
        self.dataDirectory = stateDirectory + "/prometheus-data"
        self.configPath = stateDirectory + "/prometheus.yml"
        self.logPath = stateDirectory + "/prometheus.log"
        self.pidPath = stateDirectory + "/prometheus.pid"
        self.retention = retention
    }

    /// Base URL of the HTTP API.
    public var url: String { "http://\(host):\(port)" }

    /// Command-line arguments for the child.
    var arguments: [String] {
        [
            "--config.file=\(configPath)",
            "--storage.tsdb.path=\(dataDirectory)",
            "--storage.tsdb.retention.time=\(retention)",
            "--web.listen-address=\(host):\(port)",
            // No --web.enable-lifecycle: /-/quit and /-/reload would let anything that reaches
            // the port stop Prometheus; the supervisor restarts it by signal instead.
        ]
    }

    /// The `prometheus` binary on `PATH` (or the Debian location), if installed.
    public static func locateBinary(named name: String = "prometheus") -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/usr/local/bin"] {
            let candidate = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
