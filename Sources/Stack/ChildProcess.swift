import Foundation

/// A child process the stack owns: started once, awaited asynchronously, always terminated.
///
/// Foundation's `Process` is not `Sendable`; this wrapper confines it behind a lock and exposes
/// only what the supervisor needs: the pid, whether it runs, its exit status and `terminate()`.
final class ChildProcess: @unchecked Sendable {
    let name: String
    let logPath: String
    private let process: Process
    private let lock = NSLock()
    private var status: Int32?
    private var waiters: [CheckedContinuation<Int32, Never>] = []
    /// Backstop for a lost `terminationHandler` (see `watchForExit`).
    private var watchdog: (any DispatchSourceTimer)?
    /// Set by `requestStop`: the watchdog sends SIGKILL once this passes.
    private var killDeadline: DispatchTime?

    /// Launches `executable` with `arguments`, appending stdout and stderr to `logPath`; the child
    /// inherits this process's environment plus `environment`.
    init(name: String, executable: String, arguments: [String], logPath: String, environment: [String: String] = [:]) throws {
        self.name = name
        self.logPath = logPath
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try log.seekToEnd()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        self.process = process
        process.terminationHandler = { [weak self] finished in
            self?.finish(finished.terminationStatus)
        }
        try process.run()
        try? log.close()
        watchForExit()
    }

    /// Checks every 250 ms whether the kernel still knows the child, and finishes when it has not
    /// for two checks in a row.
    ///
    /// Foundation reaps the child and calls `terminationHandler`; a full parallel test run once
    /// hung with the child gone (reaped, no zombie) and the handler never called, leaving every
    /// `exitStatus()` waiter suspended. `kill(pid, 0)` answering ESRCH is the kernel's word that the
    /// child has exited and been reaped; the status is Foundation's if it has one.
    private func watchForExit() {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        let pid = process.processIdentifier
        // Gone on two ticks in a row: Foundation has had a quarter second to report it itself
        // (its handler carries the real status). Only the timer's serial handler touches `ticks`.
        nonisolated(unsafe) var ticks = 0
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            guard kill(pid, 0) == -1, errno == ESRCH else {
                ticks = 0
                if let deadline = self.lock.withLock({ self.killDeadline }), DispatchTime.now() >= deadline {
                    kill(pid, SIGKILL)
                }
                return
            }
            ticks += 1
            guard ticks >= 2 else { return }
            let process = self.process
            self.finish(process.isRunning ? 128 + SIGKILL : process.terminationStatus)
        }
        lock.withLock { watchdog = timer }
        timer.resume()
    }

    var pid: Int32 { process.processIdentifier }

    var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return status == nil
    }

    /// Waits for the child to exit and returns its status.
    func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let status {
                lock.unlock()
                continuation.resume(returning: status)
            } else {
                waiters.append(continuation)
                lock.unlock()
            }
        }
    }

    /// Asks the child to exit without waiting: SIGTERM, SIGCONT (a stopped child — SIGSTOP, a
    /// debugger, a test freezing it — acts on nothing until continued), and SIGKILL from the
    /// watchdog after `grace`. Callable from synchronous shutdown and cancellation handlers.
    ///
    /// Without SIGCONT a frozen Prometheus kept its SIGTERM pending for ever, and the supervisor,
    /// waiting for its exit, never reached the SIGKILL of `terminate`: a test run hung there.
    func requestStop(grace: Duration = .seconds(10)) {
        guard isRunning else { return }
        let (seconds, attoseconds) = grace.components
        lock.withLock { killDeadline = .now() + .nanoseconds(Int(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)) }
        kill(pid, SIGTERM)
        kill(pid, SIGCONT)
    }

    /// Sends SIGTERM (and SIGCONT); after `grace` sends SIGKILL if the child is still alive.
    func terminate(grace: Duration = .seconds(10)) async -> Int32 {
        if isRunning { requestStop(grace: grace) }
        let deadline = ContinuousClock.now + grace
        while isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if isRunning { kill(pid, SIGKILL) }
        return await exitStatus()
    }

    /// The last lines of the child's log, for error messages.
    func logTail(lines: Int = 3) -> String {
        guard let data = FileManager.default.contents(atPath: logPath), let text = String(data: data, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).joined(separator: " | ")
    }

    /// Records the exit (the first report wins) and resumes every waiter.
    private func finish(_ code: Int32) {
        lock.lock()
        guard status == nil else {
            lock.unlock()
            return
        }
        status = code
        let pending = waiters
        waiters = []
        let timer = watchdog
        watchdog = nil
        lock.unlock()
        timer?.cancel()
        for waiter in pending { waiter.resume(returning: code) }
    }
}
