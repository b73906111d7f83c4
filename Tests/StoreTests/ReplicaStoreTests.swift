import Fleet
import Foundation
import Logging
@testable import Store
import Testing

/// Replicas on one database (docs/DEPLOY.md "Replicas"): load-test ownership and the orphan
/// sweep on both databases; on PostgreSQL the cluster lease (one leader, hand-over when its
/// session dies) and the change feed that keeps every replica's cache current.
@Suite("Replicas")
struct ReplicaStoreTests {
    static let plan = #"{"node":"gpu-1","concurrency":[1]}"#

    @Test("a replica's heartbeat owns its tests and hears which ended elsewhere", arguments: Backend.allCases)
    func ownership(_ backend: Backend) async throws {
        try await withStore(backend) { database in
            let store = database.store
            try await store.seedBasics()
            let mine = try await store.createLoadTest(tenant: "acme", node: "gpu-1", requestedBy: "u", plan: Self.plan)
            let cancelled = try await store.createLoadTest(tenant: "globex", node: "gpu-2", requestedBy: "u", plan: Self.plan)
            #expect(try await store.holdLoadTests(ids: [mine.id, cancelled.id], owner: "r_a", now: Date()) == [])
            // Another replica's cancel route records the end; the owner hears it on its next beat.
            _ = try await store.updateLoadTest(id: cancelled.id, LoadTestUpdate(status: .cancelled))
            #expect(try await store.holdLoadTests(ids: [mine.id, cancelled.id], owner: "r_a", now: Date()) == [cancelled.id])
            #expect(try await store.holdLoadTests(ids: [], owner: "r_a", now: Date()) == [])
            let error = await storeError { _ = try await store.holdLoadTests(ids: [mine.id], owner: String(repeating: "r", count: 65), now: Date()) }
            #expect(error?.field == "owner")
            #expect(try await store.loadTest(id: mine.id)?.status == .queued, "a refused heartbeat changes nothing")
        }
    }

    @Test("the orphan sweep fails silent owners' and never-owned old tests, not live ones", arguments: Backend.allCases)
    func orphans(_ backend: Backend) async throws {
        try await withStore(backend) { database in
            let store = database.store
            try await store.seedBasics()
            _ = try await store.createTenant(name: "hooli", displayName: "Hooli")
            _ = try await store.createTenant(name: "initech", displayName: "Initech")
            let now = Date()
            let silent = try await store.createLoadTest(tenant: "acme", node: "gpu-1", requestedBy: "u", plan: Self.plan)
            let live = try await store.createLoadTest(tenant: "globex", node: "gpu-2", requestedBy: "u", plan: Self.plan)
            let unowned = try await store.createLoadTest(tenant: "hooli", node: "gpu-3", requestedBy: "u", plan: Self.plan)
            _ = try await store.holdLoadTests(ids: [silent.id], owner: "r_dead", now: now.addingTimeInterval(-60))
            _ = try await store.holdLoadTests(ids: [live.id], owner: "r_live", now: now)
            // A test created after the cut-off and not yet owned is a replica about to start it.
            try await Task.sleep(for: .milliseconds(5))
            let cutoff = Date()
            try await Task.sleep(for: .milliseconds(5))
            let starting = try await store.createLoadTest(tenant: "initech", node: "gpu-4", requestedBy: "u", plan: Self.plan)
            let failed = try await store.failOrphanedLoadTests(reason: "gone", silentSince: now.addingTimeInterval(-30), unownedBefore: cutoff)
            #expect(failed == 2)
            for id in [silent.id, unowned.id] {
                let record = try #require(try await store.loadTest(id: id))
                #expect(record.status == .failed && record.error == "gone" && record.finishedAt != nil)
            }
            #expect(try await store.loadTest(id: live.id)?.status == .queued)
            #expect(try await store.loadTest(id: starting.id)?.status == .queued)
            #expect(try await store.failOrphanedLoadTests(reason: "gone", silentSince: now.addingTimeInterval(-30), unownedBefore: cutoff) == 0)
            #expect(database.store.cluster.isShared == (backend == .postgres))
        }
    }

    @Test("a loop's last pass is kept per loop, the newest replacing the last", arguments: Backend.allCases)
    func loopBeats(_ backend: Backend) async throws {
        try await withStore(backend) { database in
            let store = CachingStore(database.store)
            #expect(try await store.loopBeat(name: "event-recorder") == nil)
            let first = Date(timeIntervalSince1970: 1_800_000_000)
            try await store.recordLoopBeat(name: "event-recorder", holder: "host-a pid 1", at: first, error: nil)
            try await store.recordLoopBeat(name: "event-recorder", holder: "host-b pid 2", at: first.addingTimeInterval(5), error: "backend down")
            #expect(try await store.loopBeat(name: "event-recorder") == LoopBeat(holder: "host-b pid 2", at: first.addingTimeInterval(5), error: "backend down"))
            let error = await storeError { try await store.recordLoopBeat(name: "", holder: "h", at: first, error: nil) }
            #expect(error?.field == "name")
            #expect(try await store.loopBeat(name: "event-recorder")?.holder == "host-b pid 2", "a refused beat changes nothing")
        }
    }

    @Test("one leader per lease; a leader whose session dies hands over")
    func lease() async throws {
        try await withStore(.postgres) { database in
            let cluster = database.store.cluster
            let logger = Backend.silentLogger
            let leaders = Log()
            // The first replica leads until its task is cancelled (the process dying, as far as
            // PostgreSQL can tell: its session closes).
            let first = Task {
                try await cluster.leading(.eventRecorder, retry: .milliseconds(100), logger: logger) {
                    await leaders.append("first")
                    try await Task.sleep(for: .seconds(60))
                }
            }
            try await waitUntil { await leaders.entries == ["first"] }
            let second = Task {
                try await cluster.leading(.eventRecorder, retry: .milliseconds(100), logger: logger) {
                    await leaders.append("second")
                }
            }
            try await Task.sleep(for: .milliseconds(600))
            #expect(await leaders.entries == ["first"], "the second replica waits while the first leads")
            first.cancel()
            _ = await first.result
            try await second.value
            #expect(await leaders.entries == ["first", "second"], "the lease passed on")
        }
    }

    @Test("a change committed through one replica reaches another's cache at once")
    func changeFeed() async throws {
        try await withStore(.postgres) { database in
            let store = database.store
            try await store.seedBasics()
            // A second replica: its own connection pool and a long-lived cache.
            let replica = CachingStore(try await database.reopen(), timeToLive: .seconds(3600))
            let heard = Log()
            let listener = Task {
                try await replica.cluster.watchChanges(logger: Backend.silentLogger) {
                    await replica.invalidate()
                    await heard.append("change")
                }
            }
            try await waitUntil { await heard.entries.count >= 1 }  // listening (it starts from nothing)
            let user = try await store.createUser(name: "alice", tenant: "acme", kind: .tenantAdmin)
            let (key, plaintext) = try await store.createAPIKey(userID: user.id, label: "k", audit: nil)
            try await waitUntil { await heard.entries.count >= 3 }
            let beforeUse = await heard.entries.count
            #expect(try await replica.authenticate(apiKey: plaintext, now: Date()) != nil, "cached on the second replica")
            // Its first use stamps `last_used_at`: no change the caches need to hear about.
            try await Task.sleep(for: .milliseconds(300))
            #expect(await heard.entries.count == beforeUse, "a key's last use flushed the caches")
            let before = await heard.entries.count
            try await store.revokeAPIKey(id: key.id, now: Date())
            let revokedAt = ContinuousClock.now
            try await waitUntil { await heard.entries.count > before }
            #expect(try await replica.authenticate(apiKey: plaintext, now: Date()) == nil, "revoked there too")
            #expect(ContinuousClock.now - revokedAt < .seconds(1))
            listener.cancel()
            _ = await listener.result
            try await replica.close()
        }
    }

    @Test("replicas starting together on a fresh PostgreSQL both migrate it", arguments: 0..<3)
    func startTogether(_ round: Int) async throws {
        guard let location = try await TestDatabase.Location.fresh(.postgres) else { return }
        @Sendable func start() async -> Result<any Store, any Error> {
            do { return .success(try await TestDatabase.open(location)) } catch { return .failure(error) }
        }
        async let first = start()
        async let second = start()
        for result in await [first, second] {
            switch result {
            case .success(let store):
                #expect(try await (store as? SQLStore)?.appliedMigrations() == Migrations.all.map(\.version))
                try await store.close()
            case .failure(let error):
                Issue.record("a replica could not start: \(String(reflecting: error))")
            }
        }
    }

    /// What the concurrent parts of a test saw, in order.
    actor Log {
        var entries: [String] = []
        func append(_ entry: String) { entries.append(entry) }
    }

    /// Polls `condition` every 20 ms for up to 10 s.
    func waitUntil(_ condition: () async -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !(await condition()) {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within 10 s", sourceLocation: sourceLocation)
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
