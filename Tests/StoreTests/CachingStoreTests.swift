import Fleet
import Foundation
@testable import Store
import Testing

/// `CachingStore` serves identity and inventory reads from memory, and never lets a change made
/// through it go unseen by the next read.
@Suite struct CachingStoreTests {
    @Test("reads are served from memory until the time to live passes", arguments: Backend.allCases)
    func servesFromMemory(backend: Backend) async throws {
        try await withStore(backend) { db in
            try await db.store.seedBasics()
            // A lifetime no slow machine reaches within the test…
            let cached = CachingStore(db.store, timeToLive: .seconds(3600))
            _ = try await cached.registerNode(.fixture("gpu-1"))
            #expect(try await cached.nodes().map(\.name) == ["gpu-1"])
            // …so a write that bypasses the cache (another process) is not seen…
            _ = try await db.store.registerNode(.fixture("gpu-2"))
            #expect(try await cached.nodes().map(\.name) == ["gpu-1"])
            #expect(try await cached.node(named: "gpu-2") == nil)

            // …while with a short lifetime it is seen once the answer has expired.
            let brief = CachingStore(db.store, timeToLive: .milliseconds(50))
            _ = try await brief.nodes()
            _ = try await db.store.registerNode(.fixture("gpu-3"))
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await brief.nodes().map(\.name) == ["gpu-1", "gpu-2", "gpu-3"])
            #expect(try await brief.node(named: "gpu-3")?.name == "gpu-3")
        }
    }

    @Test("every write through the cache is visible to the next read", arguments: Backend.allCases)
    func writesInvalidate(backend: Backend) async throws {
        try await withStore(backend) { db in
            let cached = CachingStore(db.store, timeToLive: .seconds(3600))
            try await cached.seedBasics()
            #expect(try await cached.nodes().isEmpty)
            #expect(try await cached.subscriptions(tenant: "acme").isEmpty)

            _ = try await cached.registerNode(.fixture("gpu-1"))
            #expect(try await cached.nodes().map(\.name) == ["gpu-1"])
            _ = try await cached.createSubscription(tenant: "acme", pool: "shared", plan: "starter", tokenQuota: 1000, period: "month")
            #expect(try await cached.subscriptions(tenant: "acme").map(\.pool) == ["shared"])
            #expect(try await cached.subscriptions(tenant: "globex").isEmpty)
            #expect(try await cached.subscriptions(tenant: nil).count == 1)

            try await cached.updateGPUUUIDs(node: "gpu-1", uuids: ["GPU-1"])
            #expect(try await cached.node(named: "gpu-1")?.gpuUUIDs == ["GPU-1"])
        }
    }

    @Test("a revoked key stops authenticating on the very next request", arguments: Backend.allCases)
    func revocationIsImmediate(backend: Backend) async throws {
        try await withStore(backend) { db in
            let cached = CachingStore(db.store, timeToLive: .seconds(3600))
            try await cached.seedBasics()
            let user = try await cached.createUser(name: "alice", tenant: "acme", kind: .tenantAdmin)
            let (record, plaintext) = try await cached.createAPIKey(userID: user.id, label: "page")
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            #expect(try await cached.authenticate(apiKey: plaintext, now: now)?.user == user)
            #expect(try await cached.apiKeys(userID: user.id).map(\.id) == [record.id])
            // A cached success must not make a wrong key pass.
            #expect(try await cached.authenticate(apiKey: plaintext + "x", now: now) == nil)

            try await cached.revokeAPIKey(id: record.id, now: now)
            #expect(try await cached.authenticate(apiKey: plaintext, now: now) == nil)
            #expect(try await cached.apiKeys(userID: user.id).first?.revokedAt == now)
        }
    }

    @Test("failed writes also drop cached answers and lose nothing", arguments: Backend.allCases)
    func failedWrite(backend: Backend) async throws {
        try await withStore(backend) { db in
            let cached = CachingStore(db.store, timeToLive: .seconds(3600))
            try await cached.seedBasics()
            _ = try await cached.registerNode(.fixture("gpu-1"))
            _ = try await cached.nodes()
            _ = try await db.store.registerNode(.fixture("gpu-2"))
            let error = await storeError { _ = try await cached.registerNode(.fixture("gpu-1")) }
            #expect(error != nil)
            #expect(try await cached.nodes().map(\.name) == ["gpu-1", "gpu-2"])
        }
    }

    @Test("an answer read before a write is never stored after it")
    func generationGuard() async {
        let memory = CachingStore.Memory()
        let generation = await memory.generation
        await memory.invalidate()  // a write lands while the read was in flight
        await memory.store(.nodes([]), for: .nodes, generation: generation, expires: .now + .seconds(60))
        #expect(await memory.value(for: .nodes, now: .now) == nil)

        let current = await memory.generation
        await memory.store(.nodes([]), for: .nodes, generation: current, expires: .now + .seconds(60))
        #expect(await memory.value(for: .nodes, now: .now) != nil)
        #expect(await memory.value(for: .nodes, now: .now + .seconds(61)) == nil)
    }
}
