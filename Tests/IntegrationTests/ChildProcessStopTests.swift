import Foundation
import Testing
@testable import Stack

@Suite("ChildProcess stop", .timeLimit(.minutes(1)))
struct ChildProcessStopTests {
    /// Runs `body` with a looping shell child whose log lives in a scratch directory removed afterwards.
    func withChild<T>(ignoringTERM: Bool, _ body: (ChildProcess) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("aif-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A shell defers SIGTERM until its foreground child ends, so the loop sleeps in short steps.
        let trap = ignoringTERM ? "trap '' TERM" : "trap 'exit 143' TERM"
        let process = try ChildProcess(name: "frozen", executable: "/bin/sh", arguments: ["-c", "\(trap); while :; do sleep 0.1; done"],
                                       logPath: dir.path + "/child.log")
        return try await body(process)
    }

    @Test("a frozen (SIGSTOPped) child still exits on requestStop: SIGTERM is followed by SIGCONT")
    func frozenChildStops() async throws {
        let status = try await withChild(ignoringTERM: false) { process in
            kill(process.pid, SIGSTOP)
            process.requestStop(grace: .seconds(60))
            // The supervisor waits exactly like this; before, it waited for ever.
            return await process.exitStatus()
        }
        #expect(status == 143)
    }

    @Test("a child that ignores SIGTERM is killed once the grace has passed, without anyone calling terminate")
    func stubbornChildKilled() async throws {
        let status = try await withChild(ignoringTERM: true) { process in
            try await Task.sleep(for: .milliseconds(200))  // the trap is installed
            process.requestStop(grace: .milliseconds(500))
            return await process.exitStatus()
        }
        #expect(status != 0 && status != 143, "killed (SIGKILL), not a clean TERM exit: \(status)")
    }
}
