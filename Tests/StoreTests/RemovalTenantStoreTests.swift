import Fleet
import Foundation
@testable import Store
import Testing

/// Removing tenants, pools and users, and reading the audit log through a filter, on SQLite and
/// PostgreSQL alike.
@Suite("Removal of tenants, pools and users; audit filters")
struct RemovalTenantStoreTests {
    @Test("a tenant: refused while it holds a node or a subscription or runs a load test; then gone with its users, keys, sessions and tokens; the ledger stays", arguments: Backend.allCases)
    func tenant(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            _ = try await store.registerNode(.fixture("globex-1", holding: .contributed(provider: "globex", pool: "shared")))
            _ = try await store.createSubscription(tenant: "globex", pool: "shared", plan: "p", tokenQuota: 1, period: "month")
            let user = try await store.createUser(name: "g-admin", tenant: "globex", kind: .tenantAdmin)
            let (key, plaintext) = try await store.createAPIKey(userID: user.id, label: "x")
            try await store.createSession(tokenHash: "h1", userID: user.id, keyID: key.id, expiresAt: Date().addingTimeInterval(600), maxPerUser: 5)
            _ = try await store.createEnrolmentToken(tenant: "globex", pool: nil, createdBy: "op", expiresAt: Date().addingTimeInterval(600), audit: nil)
            _ = try await store.recordUsage([UsageEntry(requestID: "r1", tenant: "globex", pool: "shared", keyID: key.id, model: "m",
                                                        tokensIn: 1, tokensOut: 2, status: 200, source: "upstream", at: Date())])

            guard case .inUse(entity: "tenant", name: "globex", let reason)? = await storeError({ try await store.removeTenant(name: "globex") }) else {
                Issue.record("a held node keeps the tenant"); return
            }
            #expect(reason.contains("globex-1"), "\(reason)")
            try await store.removeNode(name: "globex-1")
            guard case .inUse(entity: "tenant", _, let second)? = await storeError({ try await store.removeTenant(name: "globex") }) else {
                Issue.record("a subscription keeps the tenant"); return
            }
            #expect(second.contains("shared"), "\(second)")
            let subscription = try #require(try await store.subscriptions(tenant: "globex").first)
            try await store.removeSubscription(id: subscription.id)
            #expect(try await store.authenticate(apiKey: plaintext, now: Date()) != nil, "refusals changed nothing")

            try await store.removeTenant(name: "globex")
            #expect(try await store.tenant(named: "globex") == nil)
            #expect(try await store.user(id: user.id) == nil)
            #expect(try await store.authenticate(apiKey: plaintext, now: Date()) == nil, "its keys stop working")
            #expect(try await store.session(tokenHash: "h1", now: Date()) == nil, "its sessions end")
            #expect(try await store.enrolmentTokens(tenant: "globex").isEmpty)
            #expect(try await store.usageTotals(tenant: "globex", pool: nil, since: .distantPast).requests == 1, "the ledger stays")
            #expect(try await store.tenant(named: "acme") != nil, "other tenants untouched")
            guard case .notFound(entity: "tenant", _)? = await storeError({ try await store.removeTenant(name: "globex") }) else {
                Issue.record("removing twice is a 404"); return
            }
            // The name is free again.
            _ = try await store.createTenant(name: "globex", displayName: "Globex again")
        }
    }

    @Test("a pool: refused while a node contributes or a tenant subscribes; a user: gone with keys and sessions", arguments: Backend.allCases)
    func poolAndUser(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            _ = try await store.registerNode(.fixture("acme-1", holding: .contributed(provider: "acme", pool: "shared")))
            guard case .inUse(entity: "pool", _, let reason)? = await storeError({ try await store.removePool(name: "shared") }) else {
                Issue.record("a contributing node keeps the pool"); return
            }
            #expect(reason.contains("acme-1"))
            try await store.removeNode(name: "acme-1")
            let subscription = try await store.createSubscription(tenant: "globex", pool: "shared", plan: "p", tokenQuota: 1, period: "month")
            guard case .inUse(entity: "pool", _, let other)? = await storeError({ try await store.removePool(name: "shared") }) else {
                Issue.record("a subscription keeps the pool"); return
            }
            #expect(other.contains("globex"))
            try await store.removeSubscription(id: subscription.id)
            _ = try await store.createEnrolmentToken(tenant: "acme", pool: "shared", createdBy: "op", expiresAt: Date().addingTimeInterval(600), audit: nil)
            try await store.removePool(name: "shared")
            #expect(try await store.pools().isEmpty)
            #expect(try await store.enrolmentTokens(tenant: "acme").isEmpty, "a token into a removed pool goes with it")

            let keep = try await store.createUser(name: "keep", tenant: "acme", kind: .tenantAdmin)
            let gone = try await store.createUser(name: "gone", tenant: "acme", kind: .tenantMember)
            let (key, plaintext) = try await store.createAPIKey(userID: gone.id, label: "k")
            try await store.createSession(tokenHash: "h2", userID: gone.id, keyID: key.id, expiresAt: Date().addingTimeInterval(600), maxPerUser: 5)
            try await store.removeUser(id: gone.id)
            #expect(try await store.user(id: gone.id) == nil)
            #expect(try await store.authenticate(apiKey: plaintext, now: Date()) == nil)
            #expect(try await store.session(tokenHash: "h2", now: Date()) == nil)
            #expect(try await store.users(tenant: "acme").map(\.id) == [keep.id])
            guard case .notFound(entity: "user", _)? = await storeError({ try await store.removeUser(id: gone.id) }) else {
                Issue.record("removing twice is a 404"); return
            }
        }
    }

    @Test("audit filters: actor prefix, action or action family, target, time window, paging; wildcards are plain text", arguments: Backend.allCases)
    func auditFilters(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.appendAudit(actor: "alice (u_1)", action: "node.register", target: "n1", detail: "{}")
            try await store.appendAudit(actor: "alice (u_1)", action: "node.remove", target: "n1", detail: "{}")
            try await store.appendAudit(actor: "bob (u_2)", action: "key.revoke", target: "k_9", detail: "{}")
            try await store.appendAudit(actor: "al%ce (u_3)", action: "nodes.odd", target: "n_1", detail: "{}")
            func actions(_ filter: AuditFilter, limit: Int = 100) async throws -> [String] {
                try await store.auditLog(filter, limit: limit).map(\.action)
            }
            #expect(try await actions(AuditFilter(actor: "alice")) == ["node.remove", "node.register"])
            #expect(try await actions(AuditFilter(actor: "al%")) == ["nodes.odd"], "% is a character, not a wildcard")
            #expect(try await actions(AuditFilter(action: "node.")) == ["node.remove", "node.register"], "a family ends with a dot")
            #expect(try await actions(AuditFilter(action: "node")) == [], "an exact action")
            #expect(try await actions(AuditFilter(target: "n_1")) == ["nodes.odd"], "_ is a character")
            #expect(try await actions(AuditFilter(actor: "bob", action: "key.revoke", target: "k_9")) == ["key.revoke"])
            #expect(try await actions(AuditFilter(since: Date().addingTimeInterval(60))) == [])
            #expect(try await actions(AuditFilter(until: Date().addingTimeInterval(-60))) == [])
            let all = try await store.auditLog(.all, limit: 100)
            #expect(all.count == 4)
            let page = try await store.auditLog(AuditFilter(beforeID: all[1].id), limit: 100).map(\.id)
            #expect(page == all.dropFirst(2).map(\.id), "the next page starts below the last id seen")
            guard case .invalid(field: "since", _)? = await storeError({
                _ = try await store.auditLog(AuditFilter(since: Date(), until: Date().addingTimeInterval(-1)), limit: 10)
            }) else {
                Issue.record("an empty window is refused"); return
            }
        }
    }
}
