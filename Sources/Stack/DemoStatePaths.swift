import Foundation

/// Where the demo keeps what tests and operators look for in its state directory.
///
/// One owner for the layout, so a test that drops a rule file or stops the Alertmanager and the
/// stack that reads or writes those files cannot drift apart.
public struct DemoStatePaths: Sendable, Hashable {
    /// The state directory, absolute (as the demo itself resolves `--state-dir`).
    public var directory: String

    public init(_ stateDirectory: String) {
        directory = URL(fileURLWithPath: stateDirectory).standardizedFileURL.path
    }

    /// Prometheus loads every `*.yml` here (`rule_files: [<state>/rules/*.yml]`). The demo
    /// writes its standard rules to `aifactory.yml`; a test may add a file and call
    /// `PrometheusReload.reload`. Files left there are loaded on the next start too.
    public var rulesDirectory: String { directory + "/rules" }
    /// The standard alert rules, rewritten on every start.
    public var standardRules: String { rulesDirectory + "/aifactory.yml" }
    /// The `rule_files` entry in `prometheus.yml`.
    public var rulesGlob: String { rulesDirectory + "/*.yml" }
    /// Pid of the running Prometheus child.
    public var prometheusPID: String { directory + "/prometheus.pid" }
    /// Pid of the running Alertmanager child (absent when none runs).
    public var alertmanagerPID: String { AlertmanagerRuntime.pidPath(stateDirectory: directory) }
    /// `demo-credentials.json`.
    public var credentials: String { directory + "/demo-credentials.json" }
}
