import Fleet
import Foundation
@testable import Store
import TestSupport
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
/// there and, for SQLite, that `PRAGMA integrity_check` says `ok`. This repeats for three rounds on the
/// same database; then it writes again, to show the recovered store is fully usable. The same test
/// runs against PostgreSQL (where it checks that we acknowledge only after COMMIT returned).
@Suite("Durability")
struct DurabilityTests {
    static let writerVariable = "AIFACTORY_STORE_CRASH_WRITER"
    static let ackVariable = "AIFACTORY_STORE_CRASH_ACKS"
    static let roundVariable = "AIFACTORY_STORE_CRASH_ROUND"

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
        let round = environment[Self.roundVariable] ?? "0"
        let acks = try #require(FileHandle(forWritingAtPath: ackPath))
        var i = 0
        while true {  // until SIGKILL
            let name = "w\(round)-\(i)"
            _ = try await store.createTenant(name: name, displayName: "writer \(i)")
            try await store.appendAudit(actor: "writer", action: "tenant.create", target: name, detail: #"{"i":\#(i)}"#)
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

        // Three crashes in a row, each after a different number of commits, each reopened and
        // checked; later rounds also prove that a database recovered from a crash survives the next.
        var expected = Set<String>()
        for (round, target) in [(1, 60), (2, 25), (3, 90)] {
            let acks = try await crashWriter(location: location, round: round, acknowledgements: target, in: scratch)
            expected.formUnion(acks.map { "w\(round)-\($0)" })

            // Reopen through the production path: migrations run again, every acknowledged row is there.
            let reopened = try await TestDatabase.open(location)
            let tenants = Set(try await reopened.tenants().map(\.name))
            let lost = expected.subtracting(tenants)
            #expect(lost.isEmpty, "round \(round): acknowledged tenants lost: \(lost.sorted())")
            let audited = Set(try await reopened.auditLog(limit: 1000).map(\.target))
            #expect(expected.subtracting(audited).isEmpty, "round \(round): acknowledged audit entries lost")
            // At most one unacknowledged row per round: committed just before the kill, not yet acknowledged.
            #expect(tenants.count <= expected.count + round)
            if case .sqlite = location {
                let sql = try #require(reopened as? SQLStore)
                #expect(try await sql.rowsUnsafe("PRAGMA integrity_check", columns: ["integrity_check"]) == [["ok"]])
                #expect(try await sql.rowsUnsafe("PRAGMA foreign_key_check", columns: ["table"]).isEmpty)
            }
            try await reopened.close()
        }

        // Fully usable after the crashes.
        let reopened = try await TestDatabase.open(location)
        _ = try await reopened.createTenant(name: "after-crash", displayName: "After")
        #expect(try await reopened.tenant(named: "after-crash") != nil)
        try await reopened.close()
        try await TestDatabase(location: location).close()  // removes the SQLite scratch dir
    }

    /// Starts the writer child, waits for `target` acknowledgements, SIGKILLs it, and returns the
    /// indices it acknowledged.
    private func crashWriter(location: TestDatabase.Location, round: Int, acknowledgements target: Int, in scratch: URL) async throws -> [Int] {
        let ackFile = scratch.appendingPathComponent("acks-\(round)")
        _ = FileManager.default.createFile(atPath: ackFile.path, contents: nil)
        let childLog = scratch.appendingPathComponent("child-\(round).log")
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
        environment[Self.roundVariable] = String(round)
        child.environment = environment
        let log = try FileHandle(forWritingTo: childLog)
        child.standardOutput = log
        child.standardError = log
        try child.run()

        // Let it commit some rows, then kill it wherever it happens to be (most likely mid-transaction).
        let deadline = ContinuousClock.now + .seconds(90)
        while acknowledged(ackFile).count < target, child.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let wasRunning = child.isRunning
        kill(child.processIdentifier, SIGKILL)
        _ = await ProcessExit.wait(child)
        try? log.close()
        let acks = acknowledged(ackFile)
        let childOutput = (try? String(contentsOf: childLog, encoding: .utf8)) ?? ""
        try #require(wasRunning, "writer exited early:\n\(childOutput.suffix(4000))")
        try #require(acks.count >= target, "writer acknowledged only \(acks.count) rows:\n\(childOutput.suffix(4000))")
        #expect(child.terminationReason == .uncaughtSignal)
        return acks
    }

    /// Complete lines of the acknowledgement file (a line cut by the kill is not an acknowledgement).
    private func acknowledged(_ file: URL) -> [Int] {
        guard let data = FileManager.default.contents(atPath: file.path) else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        guard let lastNewline = text.lastIndex(of: "\n") else { return [] }
        return text[..<lastNewline].split(separator: "\n").compactMap { Int($0) }
    }
}
