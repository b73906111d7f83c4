import Foundation
import Logging
import ServiceLifecycle

/// Runs a real Prometheus as a supervised child process.
///
/// The configuration is produced at run time (it needs ports other services learn when they
/// bind), written to disk, and the child is started and watched: if it dies on its own the
/// service throws, which takes the whole group down instead of leaving a stack without data.
/// Graceful shutdown or cancellation terminates the child (SIGTERM, then SIGKILL after a grace).
public struct PrometheusService: Service {
    public let runtime: PrometheusRuntime
    let makeConfig: @Sendable () async throws -> PrometheusConfig
    let ready: Rendezvous<String>
    let logger: Logger

    /// - Parameters:
    ///   - runtime: binary, port and files.
    ///   - ready: fulfilled with the base URL once `/-/ready` answers.
    ///   - makeConfig: builds the configuration; may wait for other services.
    public init(runtime: PrometheusRuntime, ready: Rendezvous<String> = Rendezvous(), logger: Logger = Logger(label: "aifactory.prometheus"), makeConfig: @escaping @Sendable () async throws -> PrometheusConfig) {
        self.runtime = runtime
        self.makeConfig = makeConfig
        self.ready = ready
        self.logger = logger
    }

    public func run() async throws {
        let config = try await makeConfig()
        try FileManager.default.createDirectory(atPath: runtime.dataDirectory, withIntermediateDirectories: true)
        try config.render().write(toFile: runtime.configPath, atomically: true, encoding: .utf8)
        await StaleChildReaper.reap(pidFile: runtime.pidPath, marker: "--storage.tsdb.path=\(runtime.dataDirectory)")
        guard PortProbe.isAvailable(host: runtime.host, port: runtime.port) else {
            throw StackError.addressInUse(host: runtime.host, port: runtime.port)
        }
        let child = try ChildProcess(name: "prometheus", executable: runtime.binary, arguments: runtime.arguments, logPath: runtime.logPath)
        StaleChildReaper.record(pid: child.pid, in: runtime.pidPath)
        defer { try? FileManager.default.removeItem(atPath: runtime.pidPath) }
        logger.debug("prometheus started", metadata: ["pid": "\(child.pid)", "url": "\(runtime.url)"])
        let stopped = StopFlag()
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await ReadinessProbe.wait(for: runtime.url + "/-/ready", name: "prometheus", stillAlive: { child.isRunning })
                if child.isRunning { await ready.fulfil(runtime.url) }
                let status = await child.exitStatus()
                if !stopped.isSet {
                    throw StackError.childExited(name: "prometheus", status: status, logTail: child.logTail())
                }
            } onCancel: {
                stopped.set()
                Task { _ = await child.terminate() }
            }
        } onGracefulShutdown: {
            stopped.set()
            Task { _ = await child.terminate() }
        }
        _ = await child.terminate()
    }
}

/// A one-way flag shared between a task and its shutdown handlers.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }
}
