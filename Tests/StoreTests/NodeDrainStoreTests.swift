import Fleet
import Foundation
@testable import Store
import Testing

/// Node drains on SQLite and PostgreSQL: set once, listed, cleared, only for nodes that exist.
@Suite("Node drain store")
struct NodeDrainStoreTests {
    @Test("drain, drain again (no change), list, restore, restore again; unknown nodes and bad reasons refused", arguments: Backend.allCases)
    func drains(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            _ = try await store.registerNode(.fixture("acme-1", holding: .dedicated(tenant: "acme")))
            _ = try await store.registerNode(.fixture("globex-1", holding: .contributed(provider: "globex", pool: "shared")))
            let at = Date(timeIntervalSince1970: 1_800_000_000)
            #expect(try await store.nodeDrains().isEmpty)
            #expect(try await store.setNodeDrain(node: "globex-1", reason: "diagnostic run d_1", at: at))
            #expect(try await store.setNodeDrain(node: "globex-1", reason: "again", at: at.addingTimeInterval(5)) == false, "already drained")
            #expect(try await store.nodeDrains() == [NodeDrain(node: "globex-1", reason: "diagnostic run d_1", since: at)])
            #expect(try await store.setNodeDrain(node: "acme-1", reason: "maintenance", at: at))
            #expect(try await store.nodeDrains().map(\.node) == ["acme-1", "globex-1"])
            #expect(try await store.setNodeDrain(node: "globex-1", reason: nil, at: at))
            #expect(try await store.setNodeDrain(node: "globex-1", reason: nil, at: at) == false, "already routed")
            #expect(try await store.nodeDrains().map(\.node) == ["acme-1"])
            guard case .notFound(entity: "node", _)? = await storeError({ _ = try await store.setNodeDrain(node: "nobody-1", reason: "x", at: at) })
            else { Issue.record("an unknown node is refused"); return }
            guard case .invalid(field: "reason", _)? = await storeError({
                _ = try await store.setNodeDrain(node: "globex-1", reason: String(repeating: "x", count: 300), at: at)
            }) else { Issue.record("a long reason is refused"); return }
            #expect(try await store.nodeDrains().map(\.node) == ["acme-1"], "a refused change writes nothing")
        }
    }
}
