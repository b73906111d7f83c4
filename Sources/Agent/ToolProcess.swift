import Foundation
import NIOConcurrencyHelpers

/// A diagnostic tool running as a child process, its stdout and stderr captured as they come.
///
/// Foundation delivers output and termination on its own threads (`readabilityHandler`,
/// `terminationHandler`), so no thread of Swift's cooperative pool ever blocks on the child: the
/// worker polls `take()` and awaits `exit` (issue brief: child processes off the 2-thread pool).
final class ToolProcess: Sendable {
    /// How the tool ended.
    enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)

        /// The status as a shell reports it (128 + signal for a signal).
        var status: Int { switch self { case .exited(let code): Int(code) case .signalled(let signal): 128 + Int(signal) } }
    }

    private let process: Process
    private let pending = NIOLockedValueBox(Data())
    private let ended = NIOLockedValueBox<(ending: Ending?, waiters: [CheckedContinuation<Ending, Never>])>((nil, []))

    /// Starts `executable` with `arguments` (and `environment` added to the agent's own); throws
    /// when it cannot be started.
    init(executable: String, arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        self.process = process
        let pending = self.pending
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
            } else {
                pending.withLockedValue { $0.append(data) }
            }
        }
        let ended = self.ended
        process.terminationHandler = { process in
            Self.finish(ended, process.terminationReason == .uncaughtSignal
                ? .signalled(process.terminationStatus) : .exited(process.terminationStatus))
        }
        try process.run()
        watchdog = Self.watchForExit(pid: process.processIdentifier, ended: ended)
    }

    /// Only ever cancelled, which Dispatch allows from any thread.
    nonisolated(unsafe) private let watchdog: (any DispatchSourceTimer)?

    deinit { watchdog?.cancel() }

    /// Records how it ended (the first report wins) and resumes every waiter.
    private static func finish(_ ended: NIOLockedValueBox<(ending: Ending?, waiters: [CheckedContinuation<Ending, Never>])>, _ ending: Ending) {
        let waiters = ended.withLockedValue { state -> [CheckedContinuation<Ending, Never>] in
            guard state.ending == nil else { return [] }
            state.ending = ending
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: ending) }
    }

    /// A backstop for a lost `terminationHandler`: every 250 ms, whether the kernel still knows
    /// the child; gone on two checks in a row (reaped by Foundation, whose handler had a quarter
    /// second to report the real status) ends it as killed.
    ///
    /// Foundation has been seen to reap a child and never call the handler under a busy parallel
    /// test run (the stack's `ChildProcess` keeps the same backstop); without it, a run waiting
    /// for its tool would wait for ever.
    private static func watchForExit(
        pid: Int32, ended: NIOLockedValueBox<(ending: Ending?, waiters: [CheckedContinuation<Ending, Never>])>
    ) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "aifactory.tool-exit"))
        timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        // Only the timer's serial handler touches `ticks`.
        nonisolated(unsafe) var ticks = 0
        // Cancelled when the tool is released (deinit); after the end, each tick is one lock read.
        timer.setEventHandler {
            if ended.withLockedValue({ $0.ending != nil }) { return }
            guard kill(pid, 0) == -1, errno == ESRCH else {
                ticks = 0
                return
            }
            ticks += 1
            guard ticks >= 2 else { return }
            finish(ended, .signalled(SIGKILL))
        }
        timer.resume()
        return timer
    }

    /// The output captured since the last call.
    func take() -> Data {
        pending.withLockedValue { data in
            defer { data = Data() }
            return data
        }
    }

    /// How it ended, or `nil` while it runs.
    var ending: Ending? { ended.withLockedValue { $0.ending } }

    /// Waits until it ends.
    func exit() async -> Ending {
        await withCheckedContinuation { continuation in
            let done = ended.withLockedValue { state -> Ending? in
                if let ending = state.ending { return ending }
                state.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// SIGTERM now, SIGKILL after `grace` if it is still running.
    func stop(grace: Duration = .seconds(5)) async {
        guard ending == nil else { return }
        process.terminate()
        let deadline = ContinuousClock.now + grace
        while ending == nil, ContinuousClock.now < deadline {
            await Self.pause(milliseconds: 50)
        }
        if ending == nil { kill(process.processIdentifier, SIGKILL) }
        _ = await exit()
    }

    /// How it ended if it does within `limit`; `nil` while it still runs (it is left running).
    func ended(within limit: Duration) async -> Ending? {
        let deadline = ContinuousClock.now + limit
        while ending == nil, ContinuousClock.now < deadline {
            await Self.pause(milliseconds: 50)
        }
        return ending
    }

    /// Waits at most `limit` for it to end on its own, then stops it; how it ended and whether it
    /// had to be stopped.
    func wait(atMost limit: Duration) async -> (ending: Ending, stopped: Bool) {
        let stopped = await ended(within: limit) == nil
        if stopped { await stop() }
        return (await exit(), stopped)
    }

    /// Sleeps even when the calling task is cancelled: stopping the tool is exactly what a
    /// stopping agent must still do, and `Task.sleep` would return at once and spin.
    static func pause(milliseconds: Int) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) { continuation.resume() }
        }
    }

    /// `name` as an executable path: itself when it contains a `/`, else the first match on `PATH`.
    static func resolve(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        let manager = FileManager.default
        if name.contains("/") { return manager.isExecutableFile(atPath: name) ? name : nil }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if manager.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
