import Fleet
import Foundation
@testable import Store
import Testing

/// Removing a node or a subscription on SQLite and PostgreSQL: refused while in use, the
/// registration gone afterwards, the history kept.
@Suite("Removal store")
struct RemovalStoreTests {
    @Test("a node: refused while a load test is active; removed with its drain; its load tests stay; a subscription: removed, the ledger stays", arguments: Backend.allCases)
    func removal(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            _ = try await store.registerNode(.fixture("acme-1", holding: .dedicated(tenant: "acme")))
            let user = try await store.createUser(name: "a", tenant: "acme", kind: .tenantAdmin)
            let test = try await store.createLoadTest(tenant: "acme", node: "acme-1", requestedBy: user.id, plan: "{}")
            _ = try await store.setNodeDrain(node: "acme-1", reason: "x", at: Date())

            guard case .inUse(entity: "node", name: "acme-1", let reason)? = await storeError({ try await store.removeNode(name: "acme-1") }) else {
                Issue.record("an active load test keeps the node"); return
            }
            #expect(reason.contains(test.id))
            #expect(try await store.node(named: "acme-1") != nil, "a refused removal changes nothing")

            _ = try await store.updateLoadTest(id: test.id, LoadTestUpdate(status: .running))
            _ = try await store.updateLoadTest(id: test.id, LoadTestUpdate(status: .cancelled))
            try await store.removeNode(name: "acme-1")
            #expect(try await store.node(named: "acme-1") == nil)
            #expect(try await store.nodeDrains().isEmpty, "the drain went with it")
            #expect(try await store.loadTest(id: test.id)?.node == "acme-1", "history stays")
            guard case .notFound(entity: "node", _)? = await storeError({ try await store.removeNode(name: "acme-1") }) else {
                Issue.record("removing twice is a 404"); return
            }
            // The name is free again: a new registration joins the old history by name.
            _ = try await store.registerNode(.fixture("acme-1", holding: .dedicated(tenant: "acme")))

            let subscription = try await store.createSubscription(tenant: "globex", pool: "shared", plan: "starter", tokenQuota: 10, period: "month")
            _ = try await store.recordUsage([UsageEntry(requestID: "r1", tenant: "globex", pool: "shared", keyID: "k", model: "m",
                                                        tokensIn: 1, tokensOut: 2, status: 200, source: "upstream", at: Date())])
            try await store.removeSubscription(id: subscription.id)
            #expect(try await store.subscriptions(tenant: "globex").isEmpty)
            #expect(try await store.usageTotals(tenant: "globex", pool: nil, since: .distantPast).requests == 1, "the ledger stays")
            guard case .notFound(entity: "subscription", _)? = await storeError({ try await store.removeSubscription(id: subscription.id) }) else {
                Issue.record("removing twice is a 404"); return
            }
        }
    }
}
