public import Foundation

/// Waiting for a Foundation `Process` in tests without `waitUntilExit()`.
///
/// `waitUntilExit()` blocks the calling thread — in an async test, one of the cooperative pool's
/// two threads here — and relies on Foundation noticing the exit. Foundation has been seen to reap
/// a child and never report it under a busy parallel run (Stack's `ChildProcess` keeps a backstop
/// for it): two such waits would freeze every test in the process. This polls on a Dispatch
/// thread and takes the kernel forgetting the pid as the end too.
public enum ProcessExit {
    /// Waits until `process` has ended; its status, or `nil` when Foundation never reported one.
    public static func wait(_ process: Process) async -> Int32? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: waitBlocking(process)) }
        }
    }

    /// The same, blocking the calling thread (for a thread that is not the cooperative pool's).
    public static func waitBlocking(_ process: Process) -> Int32? {
        let pid = process.processIdentifier
        while process.isRunning {
            if kill(pid, 0) == -1, errno == ESRCH {
                usleep(250_000)  // Foundation's own report, when it comes, carries the real status
                return process.isRunning ? nil : process.terminationStatus
            }
            usleep(20_000)
        }
        return process.terminationStatus
    }
}
