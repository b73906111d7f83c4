import Foundation
import Testing
@testable import Stack

@Suite("StaleChildReaper")
struct StaleChildReaperTests {
    @Test("an orphan whose command line carries the marker is stopped; anything else is left alone")
    func reapsOnlyMatchingOrphan() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("aif-reap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pidFile = dir.appendingPathComponent("prometheus.pid").path

        // A shell defers SIGTERM until its foreground child ends, so the loop sleeps in short steps.
        let sleeper = "trap 'exit 143' TERM; while :; do sleep 0.1; done"
        let matching = try ChildProcess(name: "orphan", executable: "/bin/sh", arguments: ["-c", sleeper, "--storage.tsdb.path=\(dir.path)"], logPath: dir.path + "/a.log")
        let unrelated = try ChildProcess(name: "other", executable: "/bin/sh", arguments: ["-c", sleeper, "unrelated"], logPath: dir.path + "/b.log")

        StaleChildReaper.record(pid: unrelated.pid, in: pidFile)
        await StaleChildReaper.reap(pidFile: pidFile, marker: "--storage.tsdb.path=\(dir.path)")
        #expect(unrelated.isRunning, "a pid that is not our Prometheus must never be signalled")
        #expect(!FileManager.default.fileExists(atPath: pidFile))

        StaleChildReaper.record(pid: matching.pid, in: pidFile)
        await StaleChildReaper.reap(pidFile: pidFile, marker: "--storage.tsdb.path=\(dir.path)")
        let status = await matching.exitStatus()
        #expect(status != 0)
        _ = await unrelated.terminate(grace: .seconds(1))
    }
}
