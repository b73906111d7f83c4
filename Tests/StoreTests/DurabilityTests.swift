import Fleet
import Foundation
@testable import Store
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` mid-write loses no acknowledged row, and the database reopens cleanly.
///
/// How: the test re-runs this very test binary (`/proc/self/exe`) as a child process, filtered to
/// `crashWriter`, with an environment variable that turns that test into a writer. The child opens the
/// store through `StoreFactory` (our code, not a script), and in a loop creates a tenant and appends
/// an audit entry, then appends the loop index to an acknowledgement file — only after both calls
/// returned, i.e. after both transactions committed. The parent waits for some acknowledgements,
/// sends SIGKILL at an arbitrary point (most likely mid-transaction), reopens the database through the
/// production entry point (which also re-runs migrations) and checks that every acknowledged row is
/// there and, for SQLite, that `PRAGMA integrity_check` says `ok`. Then it writes again, to show the
/// reopened store is fully usable. The same test runs against PostgreSQL.
@Suite("Durability")
struct DurabilityTests {
    static let writerVariable = "AIFACTORY_STORE_CRASH_WRITER"
    static let ackVariable = "AIFACTORY_STORE_CRASH_ACKS"

    /// Child-process mode for `killNine`; returns at once in a normal test run.
    @Test("crash writer (child mode of the kill -9 test; no-op otherwise)")
    func crashWriter() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let spec = environment[Self.writerVariable], let ackPath = environment[Self.ackVariable] else { return }
        let store: any Store
        if spec.hasPrefix("sqlite:") {
            store = try await TestDatabase.open(.sqlite(path: String(spec.dropFirst("sqlite:".count))))
        } else {
            store = try await TestDatabase.open(.postgres(url: String(spec.dropFirst("postgres:".count))))
        }
        let acks = try #require(FileHandle(forWritingAtPath: ackPath))
        var i = 0
        while true {  // until SIGKILL
            _ = try await store.createTenant(name: "w-\(i)", displayName: "writer \(i)")
            try await store.appendAudit(actor: "writer", action: "tenant.create", target: "w-\(i)", detail: #"{"i":\#(i)}"#)
            acks.write(Data("\(i)\n".utf8))
            i += 1
        }
    }

    @Test("kill -9 mid-write loses no acknowledged row and the store reopens cleanly",
          .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/exe"), "needs /proc/self/exe (Linux)"),
          .timeLimit(.minutes(3)),
          arguments: Backend.allCases)
    func killNine(backend: Backend) async throws {
        guard let database = try await backend.makeStore() else { return }
        let location = database.location
        try await database.store.close()  // the child is the only writer

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("aifactory-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let ackFile = scratch.appendingPathComponent("acks")
        _ = FileManager.default.createFile(atPath: ackFile.path, contents: nil)
        let childLog = scratch.appendingPathComponent("child.log")
        _ = FileManager.default.createFile(atPath: childLog.path, contents: nil)

        let child = Process()
        child.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        child.arguments = ["--testing-library", "swift-testing", "--filter", "crashWriter"]
        var environment = ProcessInfo.processInfo.environment
        switch location {
        case .sqlite(let path): environment[Self.writerVariable] = "sqlite:" + path
        case .postgres(let url): environment[Self.writerVariable] = "postgres:" + url
        }
        environment[Self.ackVariable] = ackFile.path
        child.environment = environment
        let log = try FileHandle(forWritingTo: childLog)
        child.standardOutput = log
        child.standardError = log
        try child.run()

        // Let it commit a good number of rows, then kill it wherever it happens to be.
        let deadline = ContinuousClock.now + .seconds(90)
        while acknowledged(ackFile).count < 60, child.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let wasRunning = child.isRunning
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        try? log.close()
        let acks = acknowledged(ackFile)
        let childOutput = (try? String(contentsOf: childLog, encoding: .utf8)) ?? ""
        try #require(wasRunning, "writer exited early:\n\(childOutput.suffix(4000))")
        try #require(acks.count >= 60, "writer acknowledged only \(acks.count) rows:\n\(childOutput.suffix(4000))")
        #expect(child.terminationReason == .uncaughtSignal)

        // Reopen through the production path: migrations run again, and every acknowledged row is there.
        let reopened = try await TestDatabase.open(location)
        let names = Set(try await reopened.tenants().map(\.name))
        let missing = acks.filter { !names.contains("w-\($0)") }
        #expect(missing.isEmpty, "acknowledged tenants lost: \(missing)")
        let audited = Set(try await reopened.auditLog(limit: 1000).map(\.target))
        #expect(acks.filter { !audited.contains("w-\($0)") }.isEmpty)
        // At most one row more than acknowledged: committed just before the kill, not yet acknowledged.
        #expect(names.count <= acks.count + 1)
        if case .sqlite = location {
            let sql = try #require(reopened as? SQLStore)
            #expect(try await sql.rowsUnsafe("PRAGMA integrity_check", columns: ["integrity_check"]) == [["ok"]])
            #expect(try await sql.rowsUnsafe("PRAGMA foreign_key_check", columns: ["table"]).isEmpty)
        }
        // Fully usable after the crash.
        _ = try await reopened.createTenant(name: "after-crash", displayName: "After")
        #expect(try await reopened.tenant(named: "after-crash") != nil)
        try await reopened.close()
        try await TestDatabase(location: location).close()  // removes the SQLite scratch dir
    }

    /// Complete lines of the acknowledgement file (a line cut by the kill is not an acknowledgement).
    private func acknowledged(_ file: URL) -> [Int] {
        guard let data = FileManager.default.contents(atPath: file.path) else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        guard let lastNewline = text.lastIndex(of: "\n") else { return [] }
        return text[..<lastNewline].split(separator: "\n").compactMap { Int($0) }
    }
}
