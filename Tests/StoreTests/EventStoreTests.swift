import Fleet
import Foundation
@testable import Store
import Testing

/// The GPU event history on SQLite and PostgreSQL: de-duplication, idempotence, retention, reopen.
@Suite("EventStore")
struct EventStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func xid(_ code: Int = 79, at offset: TimeInterval, node: String = "gpu-1", gpu: GPUIndex = 0, onset: Bool = true) -> EventOccurrence {
        EventOccurrence(node: node, gpuUUID: "GPU-\(node)-\(gpu)", gpuIndex: gpu, kind: .xid, code: code,
                        meaning: "XID \(code)", severity: .critical, time: t0.addingTimeInterval(offset), isOnset: onset)
    }

    @Test("the same XID on 10 polls is one event with count 10", arguments: Backend.allCases)
    func deduplicates(_ backend: Backend) async throws {
        try await withStore(backend) { database in
            for poll in 0..<10 { _ = try await database.store.recordEvent(Self.xid(at: Double(poll) * 15)) }
            let events = try await database.store.events(nodes: ["gpu-1"], since: Self.t0)
            #expect(events.count == 1)
            let event = try #require(events.first)
            #expect(event.count == 10)
            #expect(event.firstSeen == Self.t0 && event.lastSeen == Self.t0.addingTimeInterval(135))
            #expect(event.kind == .xid && event.code == 79 && event.gpuUUID == "GPU-gpu-1-0")
        }
    }

    @Test("replaying an occurrence already recorded changes nothing; continuations move lastSeen only", arguments: Backend.allCases)
    func idempotent(_ backend: Backend) async throws {
        try await withStore(backend) { database in
            let store = database.store
            _ = try await store.recordEvent(Self.xid(at: 0))
            _ = try await store.recordEvent(Self.xid(at: 60))
            let replay = try await store.recordEvent(Self.xid(at: 60))
            #expect(replay.count == 2)
            let continued = try await store.recordEvent(Self.xid(at: 120, onset: false))
            #expect(continued.count == 2 && continued.lastSeen == Self.t0.addingTimeInterval(120))
        }
    }

    @Test("different codes, GPUs and windows make separate events", arguments: Backend.allCases)
    func separates(_ backend: Backend) async throws {
        try await withStore(backend) { database in
            let store = database.store
            _ = try await store.recordEvent(Self.xid(79, at: 0))
            _ = try await store.recordEvent(Self.xid(48, at: 10))
            _ = try await store.recordEvent(Self.xid(79, at: 20, gpu: 1))
            _ = try await store.recordEvent(Self.xid(79, at: 7200))  // beyond the 1 h window after lastSeen 0
            _ = try await store.recordEvent(Self.xid(79, at: 30, node: "gpu-2"))
            let events = try await store.events(nodes: ["gpu-1"], since: Self.t0)
            #expect(events.count == 4)
            #expect(events.first?.lastSeen == Self.t0.addingTimeInterval(7200), "newest first")
            #expect(try await store.events(nodes: ["gpu-2"], since: Self.t0).count == 1)
            #expect(try await store.events(nodes: [], since: Self.t0).isEmpty)
            #expect(try await store.events(nodes: ["gpu-1"], since: Self.t0.addingTimeInterval(3600)).count == 1)
        }
    }

    @Test("severity keeps the worst seen", arguments: Backend.allCases)
    func worstSeverity(_ backend: Backend) async throws {
        try await withStore(backend) { database in
            var occurrence = EventOccurrence(node: "gpu-1", gpuIndex: 0, kind: .thermal, meaning: "hot", severity: .degraded, time: Self.t0)
            _ = try await database.store.recordEvent(occurrence)
            occurrence.time = Self.t0.addingTimeInterval(15)
            occurrence.severity = .critical
            occurrence.meaning = "very hot"
            _ = try await database.store.recordEvent(occurrence)
            occurrence.time = Self.t0.addingTimeInterval(30)
            occurrence.severity = .degraded
            occurrence.isOnset = false
            let event = try await database.store.recordEvent(occurrence)
            #expect(event.severity == .critical && event.meaning == "very hot" && event.count == 2)
        }
    }

    @Test("pruning deletes events last seen before the cutoff", arguments: Backend.allCases)
    func prunes(_ backend: Backend) async throws {
        try await withStore(backend) { database in
            let store = database.store
            _ = try await store.recordEvent(Self.xid(79, at: 0))
            _ = try await store.recordEvent(Self.xid(48, at: 40 * 86400))
            #expect(try await store.pruneEvents(before: Self.t0.addingTimeInterval(10 * 86400)) == 1)
            #expect(try await store.pruneEvents(before: Self.t0.addingTimeInterval(10 * 86400)) == 0)
            let left = try await store.events(nodes: ["gpu-1"], since: .distantPast)
            #expect(left.map(\.code) == [48])
        }
    }

    @Test("events survive closing and reopening the database", arguments: Backend.allCases)
    func survivesReopen(_ backend: Backend) async throws {
        guard let database = try await backend.makeStore() else { return }
        _ = try await database.store.recordEvent(Self.xid(at: 0))
        _ = try await database.store.recordEvent(Self.xid(at: 15))
        try await database.store.close()
        let reopened = try await database.reopen()
        let after = try await reopened.recordEvent(Self.xid(at: 30))
        #expect(after.count == 3)
        #expect(try await reopened.events(nodes: ["gpu-1"], since: .distantPast).count == 1)
        try await reopened.close()
        if case .sqlite(let path) = database.location {
            try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
        }
    }

    @Test("invalid occurrences are rejected before anything is written", arguments: Backend.allCases)
    func validates(_ backend: Backend) async throws {
        try await withStore(backend) { database in
            var bad = Self.xid(at: 0)
            bad.node = ""
            #expect(await storeError { _ = try await database.store.recordEvent(bad) }?.invalidField == "node")
            var zero = Self.xid(at: 0)
            zero.count = 0
            #expect(await storeError { _ = try await database.store.recordEvent(zero) }?.invalidField == "count")
            let stored = try await database.store.events(nodes: ["gpu-1"], since: .distantPast)
            #expect(stored.isEmpty)
        }
    }
}
