import Fleet
import Foundation
@testable import Store
import Testing

/// Stored load tests on SQLite and PostgreSQL: lifecycle, one active test per tenant, scoping,
/// validation that changes nothing, and the start-up sweep.
@Suite("LoadTestStore")
struct LoadTestStoreTests {
    static let plan = #"{"node":"gpu-1","concurrency":[1,2]}"#

    @Test("create → running → succeeded stamps the times and keeps the result", arguments: Backend.allCases)
    func lifecycle(_ backend: Backend) async throws {
        try await withStore(backend) { database in
            let store = database.store
            try await store.seedBasics()
            let created = try await store.createLoadTest(tenant: "acme", node: "gpu-1", requestedBy: "u_1", plan: Self.plan)
            #expect(created.status == .queued && created.id.hasPrefix("lt_") && created.startedAt == nil)
            #expect(try await store.loadTest(id: created.id) == created)
            let running = try await store.updateLoadTest(id: created.id, LoadTestUpdate(status: .running, progress: #"{"finished":3}"#))
            #expect(running.status == .running && running.startedAt != nil && running.finishedAt == nil)
            let done = try await store.updateLoadTest(id: created.id, LoadTestUpdate(status: .succeeded, result: #"{"levels":[]}"#))
            #expect(done.status == .succeeded && done.finishedAt != nil && done.progress == #"{"finished":3}"#)
            let reopened = try await database.reopen()
            #expect(try await reopened.loadTest(id: created.id) == done)
            try await reopened.close()
            let error = await storeError { _ = try await store.updateLoadTest(id: created.id, LoadTestUpdate(status: .running)) }
            #expect(error == .invalid(field: "status", reason: "load test \(created.id) is already succeeded"))
        }
    }

    @Test("one active test per tenant; the duplicate names the active one", arguments: Backend.allCases)
    func onePerTenant(_ backend: Backend) async throws {
        try await withStore(backend) { database in
            let store = database.store
            try await store.seedBasics()
            let first = try await store.createLoadTest(tenant: "acme", node: "gpu-1", requestedBy: "u_1", plan: Self.plan)
            let error = await storeError { _ = try await store.createLoadTest(tenant: "acme", node: "gpu-2", requestedBy: "u_2", plan: Self.plan) }
            #expect(error == .duplicate(entity: "active load test", name: first.id))
            _ = try await store.createLoadTest(tenant: "globex", node: "gpu-3", requestedBy: "u_3", plan: Self.plan)
            _ = try await store.updateLoadTest(id: first.id, LoadTestUpdate(status: .cancelled))
            _ = try await store.createLoadTest(tenant: "acme", node: "gpu-1", requestedBy: "u_1", plan: Self.plan)
            #expect(try await store.loadTests(tenant: "acme", limit: 10).count == 2)
            #expect(try await store.loadTests(tenant: nil, limit: 10).count == 3)
            #expect(try await store.loadTests(tenant: "globex", limit: 10).map(\.node) == ["gpu-3"])
        }
    }

    @Test("lists are newest first", arguments: Backend.allCases)
    func newestFirst(_ backend: Backend) async throws {
        try await withStore(backend) { database in
            let store = database.store
            try await store.seedBasics()
            var ids: [String] = []
            for _ in 0..<3 {
                let record = try await store.createLoadTest(tenant: "acme", node: "gpu-1", requestedBy: "u_1", plan: Self.plan)
                ids.append(record.id)
                _ = try await store.updateLoadTest(id: record.id, LoadTestUpdate(status: .failed, error: "boom"))
                try await Task.sleep(for: .milliseconds(3))
            }
            #expect(try await store.loadTests(tenant: "acme", limit: 10).map(\.id) == ids.reversed())
            #expect(try await store.loadTests(tenant: "acme", limit: 1).map(\.id) == [ids[2]])
        }
    }

    @Test("bad input is refused naming the field and stores nothing", arguments: Backend.allCases)
    func validation(_ backend: Backend) async throws {
        try await withStore(backend) { database in
            let store = database.store
            try await store.seedBasics()
            #expect(await storeError { _ = try await store.createLoadTest(tenant: "nobody", node: "gpu-1", requestedBy: "u", plan: Self.plan) }
                    == .invalid(field: "tenant", reason: "tenant 'nobody' does not exist"))
            #expect(await storeError { _ = try await store.createLoadTest(tenant: "acme", node: "Bad Node", requestedBy: "u", plan: Self.plan) }?.field == "node")
            #expect(await storeError { _ = try await store.createLoadTest(tenant: "acme", node: "gpu-1", requestedBy: " ", plan: Self.plan) }?.field == "requestedBy")
            #expect(await storeError { _ = try await store.createLoadTest(tenant: "acme", node: "gpu-1", requestedBy: "u", plan: "[1]") }?.field == "plan")
            #expect(try await store.loadTests(tenant: nil, limit: 10).isEmpty)
            let record = try await store.createLoadTest(tenant: "acme", node: "gpu-1", requestedBy: "u", plan: Self.plan)
            #expect(await storeError { _ = try await store.updateLoadTest(id: record.id, LoadTestUpdate(progress: "nope")) }?.field == "progress")
            #expect(await storeError { _ = try await store.updateLoadTest(id: "lt_missing", LoadTestUpdate(status: .running)) }
                    == .notFound(entity: "load test", id: "lt_missing"))
            #expect(try await store.loadTest(id: record.id) == record, "a refused update changes nothing")
            #expect(await storeError { _ = try await store.loadTests(tenant: nil, limit: 0) }?.field == "limit")
        }
    }

    @Test("start-up marks tests of an earlier process failed, not newer ones", arguments: Backend.allCases)
    func sweep(_ backend: Backend) async throws {
        try await withStore(backend) { database in
            let store = database.store
            try await store.seedBasics()
            let queued = try await store.createLoadTest(tenant: "acme", node: "gpu-1", requestedBy: "u", plan: Self.plan)
            let running = try await store.createLoadTest(tenant: "globex", node: "gpu-2", requestedBy: "u", plan: Self.plan)
            _ = try await store.updateLoadTest(id: running.id, LoadTestUpdate(status: .running))
            try await Task.sleep(for: .milliseconds(5))
            let cutoff = Date()
            try await Task.sleep(for: .milliseconds(5))
            _ = try await store.createTenant(name: "hooli", displayName: "Hooli")
            let newer = try await store.createLoadTest(tenant: "hooli", node: "gpu-9", requestedBy: "u", plan: Self.plan)
            #expect(try await store.failActiveLoadTests(reason: "the server stopped while the test ran", createdBefore: cutoff) == 2)
            for id in [queued.id, running.id] {
                let record = try #require(try await store.loadTest(id: id))
                #expect(record.status == .failed && record.error == "the server stopped while the test ran" && record.finishedAt != nil)
            }
            #expect(try await store.loadTest(id: newer.id)?.status == .queued)
        }
    }

    @Test("CachingStore forwards every load test call", arguments: Backend.allCases)
    func throughCache(_ backend: Backend) async throws {
        try await withStore(backend) { database in
            let store = CachingStore(database.store)
            try await store.seedBasics()
            let created = try await store.createLoadTest(tenant: "acme", node: "gpu-1", requestedBy: "u", plan: Self.plan)
            let running = try await store.updateLoadTest(id: created.id, LoadTestUpdate(status: .running))
            #expect(try await store.loadTest(id: created.id) == running)
            #expect(try await store.loadTests(tenant: "acme", limit: 5) == [running])
            #expect(try await store.failActiveLoadTests(reason: "gone", createdBefore: Date().addingTimeInterval(1)) == 1)
            #expect(try await database.store.loadTest(id: created.id)?.status == .failed)
        }
    }
}

extension StoreError {
    var field: String? {
        if case .invalid(let field, _) = self { return field }
        return nil
    }
}
