import Foundation
public import Logging
public import ServiceLifecycle

/// Runs a real Alertmanager as a child process of the demo, so the alert path the self-check
/// follows (rule → Prometheus → Alertmanager) is real rather than assumed.
///
/// The configuration text is produced at run time (the receivers' URLs need a port another
/// service learns when it binds), written 0600, and the child is started and waited on at
/// `/-/ready`. Unlike Prometheus, an Alertmanager that exits on its own is **not** restarted and
/// does not take the demo down: one error line is logged and the demo goes on without it. That is
/// the "Alertmanager down" failure the self-check must report, and a test produces it by
/// signalling the pid in `AlertmanagerRuntime.pidPath`. One that exits before it is ready throws
/// (a broken install or configuration is a start-up error, with its last log lines).
/// Graceful shutdown or cancellation terminates the child (SIGTERM, then SIGKILL after a grace).
public struct AlertmanagerService: Service {
    public let runtime: AlertmanagerRuntime
    let makeConfig: @Sendable () async throws -> String
    let ready: Rendezvous<String>
    let logger: Logger

    /// - Parameters:
    ///   - runtime: binary, port and files.
    ///   - ready: fulfilled with the base URL once `/-/ready` answers.
    ///   - makeConfig: builds `alertmanager.yml`; may wait for other services.
    public init(
        runtime: AlertmanagerRuntime, ready: Rendezvous<String> = Rendezvous(),
        logger: Logger = Logger(label: "aifactory.alertmanager"), makeConfig: @escaping @Sendable () async throws -> String
    ) {
        self.runtime = runtime
        self.ready = ready
        self.logger = logger
        self.makeConfig = makeConfig
    }

    public func run() async throws {
        let config = try await makeConfig()
        try FileManager.default.createDirectory(atPath: runtime.storagePath, withIntermediateDirectories: true)
        try config.write(toFile: runtime.configPath, atomically: true, encoding: .utf8)
        // Receiver settings may hold webhook secrets (Slack URLs, PagerDuty keys) in real use.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: runtime.configPath)
        await StaleChildReaper.reap(pidFile: runtime.pidPath, marker: "--storage.path=\(runtime.storagePath)")
        guard PortProbe.isAvailable(host: runtime.host, port: runtime.port) else {
            throw StackError.addressInUse(host: runtime.host, port: runtime.port)
        }
        defer { try? FileManager.default.removeItem(atPath: runtime.pidPath) }
        try await CurrentChild.superviseUntilShutdown { current in try await supervise(current) }
    }

    /// Starts the child, waits until it is ready, then until it exits; after an exit of its own,
    /// idles until the demo shuts down.
    private func supervise(_ current: CurrentChild) async throws {
        let child = try ChildProcess(name: "alertmanager", executable: runtime.binary, arguments: runtime.arguments, logPath: runtime.logPath)
        guard current.adopt(child) else {
            _ = await child.terminate()
            return
        }
        StaleChildReaper.record(pid: child.pid, in: runtime.pidPath)
        logger.debug("alertmanager started", metadata: ["pid": "\(child.pid)", "url": "\(runtime.url)"])
        try await ReadinessProbe.wait(for: runtime.url + "/-/ready", name: "alertmanager", stillAlive: { child.isRunning })
        guard child.isRunning else {
            if current.isStopped { return }
            throw StackError.childExited(name: "alertmanager", status: await child.exitStatus(), logTail: child.logTail())
        }
        await ready.fulfil(runtime.url)
        let status = await child.exitStatus()
        if current.isStopped { return }
        try? FileManager.default.removeItem(atPath: runtime.pidPath)
        logger.error(
            "alertmanager exited on its own; the demo goes on without it (not restarted)",
            metadata: ["status": "\(status)", "log": "\(child.logTail())"]
        )
        while !current.isStopped {
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
