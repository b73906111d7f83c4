import Foundation
import Testing
@testable import Telemetry

@Suite("CoalescingCache")
struct CoalescingCacheTests {
    /// Counts calls and lets the test decide when the fetch finishes.
    actor Upstream {
        var calls = 0
        private var gate: CheckedContinuation<Void, Never>?
        private var opened = false
        func fetch(_ value: Int) async -> Int {
            calls += 1
            if !opened { await withCheckedContinuation { gate = $0 } }
            return value
        }
        func open() {
            opened = true
            gate?.resume()
            gate = nil
        }
        func waitUntilCalled() async {
            while calls == 0 { await Task.yield() }
        }
    }

    @Test("200 concurrent identical reads cost one upstream fetch")
    func coalesces() async throws {
        let cache = CoalescingCache<Int>()
        let upstream = Upstream()
        let key = CacheKey(backend: "p", tenant: "acme", query: #"up{tenant="acme"}"#, bucket: 1)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<200 {
                group.addTask { try await cache.value(for: key) { await upstream.fetch(42) } }
            }
            await upstream.waitUntilCalled()
            // Let every reader reach the cache before the upstream answers.
            for _ in 0..<50 { await Task.yield() }
            await upstream.open()
            var results: [Int] = []
            for try await value in group { results.append(value) }
            #expect(results.count == 200)
            #expect(results.allSatisfy { $0 == 42 })
        }
        #expect(await upstream.calls == 1)
        #expect(await cache.fetches == 1)
    }

    @Test("while a new interval is fetched, other readers get the previous interval's answer, labelled as such")
    func previousWhileRevalidating() async throws {
        let cache = CoalescingCache<Int>()
        let upstream = Upstream()
        let first = CacheKey(backend: "p", tenant: "acme", query: "q", bucket: 1)
        let second = CacheKey(backend: "p", tenant: "acme", query: "q", bucket: 2)
        #expect(try await cache.value(for: first) { 1 } == 1)
        try await withThrowingTaskGroup(of: (value: Int, bucket: Int64).self) { group in
            group.addTask { try await cache.latest(for: second) { await upstream.fetch(2) } }
            await upstream.waitUntilCalled()
            // The fetch for bucket 2 is held open: this reader must not wait for it.
            let meanwhile = try await cache.latest(for: second) { Issue.record("a second fetch started"); return -1 }
            #expect(meanwhile.value == 1 && meanwhile.bucket == 1)
            await upstream.open()
            let starter = try #require(try await group.next())
            #expect(starter.value == 2 && starter.bucket == 2, "the reader that started the fetch waits for it")
        }
        let after = try await cache.latest(for: second) { -1 }
        #expect(after.value == 2 && after.bucket == 2)
        #expect(await cache.fetches == 2)
    }

    @Test("tenant, backend and bucket each separate answers; the same key is served from cache")
    func keyParts() async throws {
        let cache = CoalescingCache<String>()
        let base = CacheKey(backend: "p", tenant: "acme", query: "q", bucket: 1)
        var other = base
        other.tenant = "globex"
        var later = base
        later.bucket = 2
        var elsewhere = base
        elsewhere.backend = "thanos"
        #expect(try await cache.value(for: base) { "acme" } == "acme")
        #expect(try await cache.value(for: other) { "globex" } == "globex")
        #expect(try await cache.value(for: later) { "acme-later" } == "acme-later")
        #expect(try await cache.value(for: elsewhere) { "thanos" } == "thanos")
        #expect(try await cache.value(for: base) { "refetched" } == "acme")
        #expect(await cache.fetches == 4)
    }

    @Test("failures are not cached: the next read retries")
    func failuresNotCached() async throws {
        struct Boom: Error {}
        let cache = CoalescingCache<Int>()
        let key = CacheKey(backend: "p", tenant: "acme", query: "q", bucket: 1)
        await #expect(throws: Boom.self) { try await cache.value(for: key) { throw Boom() } }
        #expect(try await cache.value(for: key) { 7 } == 7)
    }

    @Test("capacity evicts the oldest keys")
    func eviction() async throws {
        let cache = CoalescingCache<Int>(capacity: 2)
        for bucket in 0..<3 {
            _ = try await cache.value(for: CacheKey(backend: "p", tenant: "t", query: "q", bucket: Int64(bucket))) { bucket }
        }
        #expect(try await cache.value(for: CacheKey(backend: "p", tenant: "t", query: "q", bucket: 0)) { -1 } == -1)
    }
}

@Suite("LastKnownGood")
struct LastKnownGoodTests {
    struct Outage: Error {}
    struct BadQuery: Error {}

    @Test("an outage serves the last good answer as stale with its time and reason; recovery is fresh again")
    func staleThenRecover() async throws {
        let memory = LastKnownGood<String, Int>()
        let t0 = Date(timeIntervalSince1970: 1000)
        let isOutage: @Sendable (any Error) -> Bool = { $0 is Outage }
        let reason: @Sendable (any Error) -> String = { _ in "Prometheus is unreachable" }
        let fresh = try await memory.read("acme", now: t0, isOutage: isOutage, reason: reason) { 5 }
        #expect(fresh == Freshness(value: 5, stale: false, asOf: t0))
        let stale = try await memory.read("acme", now: t0 + 30, isOutage: isOutage, reason: reason) { throw Outage() }
        #expect(stale == Freshness(value: 5, stale: true, asOf: t0, reason: "Prometheus is unreachable"))
        let again = try await memory.read("acme", now: t0 + 60, isOutage: isOutage, reason: reason) { 6 }
        #expect(again == Freshness(value: 6, stale: false, asOf: t0 + 60))
    }

    @Test("no earlier answer, or an error that is not an outage, is rethrown")
    func rethrowsOtherErrors() async throws {
        let memory = LastKnownGood<String, Int>()
        let isOutage: @Sendable (any Error) -> Bool = { $0 is Outage }
        await #expect(throws: Outage.self) {
            try await memory.read("x", now: Date(), isOutage: isOutage, reason: { _ in "" }) { throw Outage() }
        }
        _ = try await memory.read("x", now: Date(), isOutage: isOutage, reason: { _ in "" }) { 1 }
        await #expect(throws: BadQuery.self) {
            try await memory.read("x", now: Date(), isOutage: isOutage, reason: { _ in "" }) { throw BadQuery() }
        }
    }
}
