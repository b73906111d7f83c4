import Foundation
public import Logging
public import ServiceLifecycle

/// Runs a real Prometheus as a supervised child process.
///
/// The configuration is produced at run time (it needs ports other services learn when they
/// bind), written to disk, and the child is started and watched. A Prometheus that dies on its own
/// after it was ready (OOM killer, a crash, an operator's `kill`) is restarted on the same port
/// and data directory after `restart.delay`, so the stack heals without a restart of AI Factory
/// and the server answers stale-but-known values meanwhile. One that keeps dying (more than
/// `restart.limit` times within `restart.window`) or never becomes ready throws, which takes the
/// whole group down instead of leaving a stack that silently has no data.
/// Graceful shutdown or cancellation terminates the child (SIGTERM, then SIGKILL after a grace).
public struct PrometheusService: Service {
    /// When a Prometheus that exited on its own is started again.
    public struct RestartPolicy: Sendable {
        /// Pause before starting again (also the time the API serves stale answers).
        public var delay: Duration
        /// Restarts allowed within `window`; one more is fatal.
        public var limit: Int
        public var window: Duration

        public init(delay: Duration, limit: Int, window: Duration) {
            self.delay = delay
            self.limit = limit
            self.window = window
        }

        public static let standard = RestartPolicy(delay: .seconds(2), limit: 5, window: .seconds(600))
        /// Any exit is fatal.
        public static let never = RestartPolicy(delay: .zero, limit: 0, window: .zero)
    }

    public let runtime: PrometheusRuntime
    public let restart: RestartPolicy
    let makeConfig: @Sendable () async throws -> PrometheusConfig
    let ready: Rendezvous<String>
    let logger: Logger

    /// - Parameters:
    ///   - runtime: binary, port and files.
    ///   - restart: what happens when the child exits on its own.
    ///   - ready: fulfilled with the base URL once `/-/ready` answers.
    ///   - makeConfig: builds the configuration; may wait for other services.
    public init(
        runtime: PrometheusRuntime, restart: RestartPolicy = .standard, ready: Rendezvous<String> = Rendezvous(),
        logger: Logger = Logger(label: "aifactory.prometheus"), makeConfig: @escaping @Sendable () async throws -> PrometheusConfig
    ) {
        self.runtime = runtime
        self.restart = restart
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
        defer { try? FileManager.default.removeItem(atPath: runtime.pidPath) }
        try await CurrentChild.superviseUntilShutdown { current in try await supervise(current) }
    }

    /// Starts the child, waits for it to exit, and starts it again while the policy allows.
    private func supervise(_ current: CurrentChild) async throws {
        var restarts: [ContinuousClock.Instant] = []
        while true {
            let child = try ChildProcess(name: "prometheus", executable: runtime.binary, arguments: runtime.arguments, logPath: runtime.logPath)
            guard current.adopt(child) else {
                _ = await child.terminate()
                return
            }
            StaleChildReaper.record(pid: child.pid, in: runtime.pidPath)
            logger.debug("prometheus started", metadata: ["pid": "\(child.pid)", "url": "\(runtime.url)"])
            try await ReadinessProbe.wait(for: runtime.url + "/-/ready", name: "prometheus", stillAlive: { child.isRunning })
            if child.isRunning { await ready.fulfil(runtime.url) }
            let status = await child.exitStatus()
            if current.isStopped { return }

            let now = ContinuousClock.now
            restarts.removeAll { now - $0 > restart.window }
            guard restarts.count < restart.limit else {
                throw StackError.childExited(name: "prometheus", status: status, logTail: child.logTail())
            }
            restarts.append(now)
            logger.error(
                "prometheus exited on its own; starting it again",
                metadata: ["status": "\(status)", "in": "\(restart.delay)", "restart": "\(restarts.count)/\(restart.limit)", "log": "\(child.logTail())"]
            )
            // Sleep in short steps so a shutdown during the pause is noticed at once.
            let resume = ContinuousClock.now + restart.delay
            while ContinuousClock.now < resume, !current.isStopped {
                try await Task.sleep(for: .milliseconds(100))
            }
            if current.isStopped { return }
        }
    }
}

extension CurrentChild {
    /// Runs `supervise` with a fresh holder, stops its child on graceful shutdown or cancellation,
    /// and always terminates it before returning — the lifecycle every child service of the demo
    /// (Prometheus, Alertmanager) shares.
    static func superviseUntilShutdown(_ supervise: @escaping @Sendable (CurrentChild) async throws -> Void) async throws {
        let current = CurrentChild()
        do {
            try await withGracefulShutdownHandler {
                try await withTaskCancellationHandler {
                    try await supervise(current)
                } onCancel: {
                    current.stop()
                }
            } onGracefulShutdown: {
                current.stop()
            }
        } catch {
            await current.terminate()
            throw error
        }
        await current.terminate()
    }
}

/// The Prometheus child of the moment, shared with the shutdown handlers so they stop whichever
/// incarnation is running, and so no new one starts after a stop.
final class CurrentChild: @unchecked Sendable {
    private let lock = NSLock()
    private var child: ChildProcess?
    private var stopped = false

    var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    /// Makes `child` the current one; false when a stop came first (the caller terminates it).
    func adopt(_ child: ChildProcess) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return false }
        self.child = child
        return true
    }

    /// Marks the service stopped and asks the current child to terminate (SIGTERM and SIGCONT, then
    /// SIGKILL after a grace: `ChildProcess.requestStop`).
    func stop() {
        lock.lock()
        stopped = true
        let child = self.child
        lock.unlock()
        child?.requestStop()
    }

    /// Waits for the current child to be gone.
    func terminate() async {
        if let child = lock.withLock({ self.child }) { _ = await child.terminate() }
    }
}
