import AsyncHTTPClient
import Foundation
import NIOCore

/// Makes the demo's Prometheus re-read its configuration and rule files, e.g. after a test put
/// a file into `DemoStatePaths.rulesDirectory`.
///
/// By signal, not `POST /-/reload`: the demo's Prometheus runs without `--web.enable-lifecycle`
/// (docs/SECURITY.md, finding 9: the lifecycle API would let anything that reaches the port stop
/// or reconfigure it). SIGHUP does the same reload and needs the right to signal the process, which
/// only its owner has.
public enum PrometheusReload {
    /// Sends SIGHUP to the Prometheus named by `<state>/prometheus.pid` and waits until its own
    /// metrics report a reload after the signal.
    ///
    /// The pid is only signalled when `/proc/<pid>/cmdline` shows it is a Prometheus using this
    /// state directory's configuration, so a stale pid file never hits another process.
    /// - Throws: `StackError` when no such Prometheus runs, the reload failed (a rule file that
    ///   does not parse: Prometheus keeps the old rules and says why in `prometheus.log`), or no
    ///   reload was reported within `timeout`.
    public static func reload(stateDirectory: String, prometheusURL: String, timeout: Duration = .seconds(15)) async throws {
        let paths = DemoStatePaths(stateDirectory)
        guard let text = try? String(contentsOfFile: paths.prometheusPID, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1,
              let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
              String(decoding: cmdline, as: UTF8.self).split(separator: "\0").contains(where: { $0 == "--config.file=\(paths.directory)/prometheus.yml" })
        else {
            throw StackError.other("no Prometheus of the demo in \(paths.directory) is running (see \(paths.prometheusPID))")
        }
        let before = try await reloadState(prometheusURL).lastSuccess
        kill(pid, SIGHUP)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            guard let state = try? await reloadState(prometheusURL) else { continue }
            if !state.successful {
                throw StackError.other("Prometheus refused the reload; its log (\(paths.directory)/prometheus.log) says why")
            }
            if state.lastSuccess > before { return }
        }
        throw StackError.other("Prometheus did not report a reload within \(timeout)")
    }

    /// `prometheus_config_last_reload_successful` and `…_success_timestamp_seconds` from
    /// Prometheus's own `/metrics` (sub-second resolution, so two reloads in one second differ).
    static func reloadState(_ prometheusURL: String) async throws -> (successful: Bool, lastSuccess: Double) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: prometheusURL + "/metrics"), timeout: .seconds(5))
        let body = String(buffer: try await response.body.collect(upTo: 16 << 20))
        var successful: Bool?
        var lastSuccess: Double?
        for line in body.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2 else { continue }
            if parts[0] == "prometheus_config_last_reload_successful" { successful = Double(parts[1]) == 1 }
            if parts[0] == "prometheus_config_last_reload_success_timestamp_seconds" { lastSuccess = Double(parts[1]) }
        }
        guard let successful, let lastSuccess else {
            throw StackError.other("\(prometheusURL)/metrics does not report the configuration reload state")
        }
        return (successful, lastSuccess)
    }
}
