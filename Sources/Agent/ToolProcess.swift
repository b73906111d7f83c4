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
            let ending: Ending = process.terminationReason == .uncaughtSignal
                ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
            let waiters = ended.withLockedValue { state in
                state.ending = ending
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: ending) }
        }
        try process.run()
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
