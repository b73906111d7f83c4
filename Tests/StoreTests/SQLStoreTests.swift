import Fleet
import Foundation
@testable import Store
import SQLKit
import Testing

/// The behaviour every `Store` must have, run against SQLite and PostgreSQL alike.
@Suite("SQLStore")
struct SQLStoreTests {
    // MARK: Tenants and pools

    @Test("tenants are created, found and listed by name", arguments: Backend.allCases)
    func tenants(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            let created = try await store.createTenant(name: "zeta", displayName: "Zeta")
            _ = try await store.createTenant(name: "acme", displayName: "ACME Research")
            #expect(try await store.tenant(named: "zeta") == created)
            #expect(try await store.tenant(named: "nobody") == nil)
            #expect(try await store.tenants().map(\.name) == ["acme", "zeta"])
        }
    }

    @Test("pools are created and listed by name", arguments: Backend.allCases)
    func pools(backend: Backend) async throws {
        try await withStore(backend) { db in
            let b = try await db.store.createPool(name: "b-pool", displayName: "B")
            let a = try await db.store.createPool(name: "a-pool", displayName: "A")
            #expect(try await db.store.pools() == [a, b])
        }
    }

    @Test("duplicate names are rejected and keep the first record", arguments: Backend.allCases)
    func duplicates(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            #expect(await storeError { _ = try await store.createTenant(name: "acme", displayName: "Other") }
                == .duplicate(entity: "tenant", name: "acme"))
            #expect(try await store.tenant(named: "acme")?.displayName == "ACME Research")
            #expect(await storeError { _ = try await store.createPool(name: "shared", displayName: "x") }
                == .duplicate(entity: "pool", name: "shared"))
            _ = try await store.createUser(name: "alice", tenant: "acme", kind: .tenantAdmin)
            #expect(await storeError { _ = try await store.createUser(name: "alice", tenant: "globex", kind: .tenantMember) }
                == .duplicate(entity: "user", name: "alice"))
            _ = try await store.registerNode(.fixture("gpu-1"))
            #expect(await storeError { _ = try await store.registerNode(.fixture("gpu-1", holding: .dedicated(tenant: "globex"))) }
                == .duplicate(entity: "node", name: "gpu-1"))
            #expect(try await store.node(named: "gpu-1")?.holding == .dedicated(tenant: "acme"))
            _ = try await store.createSubscription(tenant: "acme", pool: "shared", plan: "standard", tokenQuota: 10, period: "month")
            #expect(await storeError {
                _ = try await store.createSubscription(tenant: "acme", pool: "shared", plan: "pro", tokenQuota: 20, period: "week")
            } == .duplicate(entity: "subscription", name: "acme/shared"))
            #expect(try await store.subscriptions(tenant: "acme").map(\.plan) == ["standard"])
        }
    }

    @Test("concurrent creates of one name yield exactly one record and duplicates", arguments: Backend.allCases)
    func concurrentDuplicates(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            let outcomes = await withTaskGroup(of: String.self) { group in
                for i in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await store.createTenant(name: "race", displayName: "attempt \(i)")
                            return "created"
                        } catch let error as StoreError {
                            return error == .duplicate(entity: "tenant", name: "race") ? "duplicate" : "\(error)"
                        } catch {
                            return "unexpected: \(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "created" }.count == 1)
            #expect(outcomes.filter { $0 == "duplicate" }.count == 7)
            let tenants = try await store.tenants()
            #expect(tenants.count == 1)
        }
    }

    // MARK: Validation

    struct InvalidCase: CustomTestStringConvertible, Sendable {
        var description: String
        var field: String
        var call: @Sendable (any Store) async throws -> Void
        var testDescription: String { description }
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(description: "tenant name with capitals", field: "name") { _ = try await $0.createTenant(name: "ACME", displayName: "x") },
        InvalidCase(description: "tenant name empty", field: "name") { _ = try await $0.createTenant(name: "", displayName: "x") },
        InvalidCase(description: "tenant name starting with -", field: "name") { _ = try await $0.createTenant(name: "-a", displayName: "x") },
        InvalidCase(description: "tenant name of 64 characters", field: "name") {
            _ = try await $0.createTenant(name: String(repeating: "a", count: 64), displayName: "x")
        },
        InvalidCase(description: "blank display name", field: "displayName") { _ = try await $0.createTenant(name: "ok", displayName: "  ") },
        InvalidCase(description: "pool name with underscore", field: "name") { _ = try await $0.createPool(name: "a_b", displayName: "x") },
        InvalidCase(description: "user without tenant", field: "tenant") { _ = try await $0.createUser(name: "bob", tenant: nil, kind: .tenantMember) },
        InvalidCase(description: "operator with tenant", field: "tenant") { _ = try await $0.createUser(name: "op", tenant: "acme", kind: .siteOperator) },
        InvalidCase(description: "user of unknown tenant", field: "tenant") { _ = try await $0.createUser(name: "bob", tenant: "nobody", kind: .tenantAdmin) },
        InvalidCase(description: "user name with space", field: "name") { _ = try await $0.createUser(name: "bo b", tenant: "acme", kind: .tenantAdmin) },
        InvalidCase(description: "node name invalid", field: "name") { _ = try await $0.registerNode(.fixture("GPU 1")) },
        InvalidCase(description: "gpu count 0", field: "gpuCount") {
            var node = NodeRecord.fixture(); node.gpuCount = 0; _ = try await $0.registerNode(node)
        },
        InvalidCase(description: "gpu count negative", field: "gpuCount") {
            var node = NodeRecord.fixture(); node.gpuCount = -1; _ = try await $0.registerNode(node)
        },
        InvalidCase(description: "memory 0", field: "gpuMemoryMiB") {
            var node = NodeRecord.fixture(); node.gpuMemoryMiB = 0; _ = try await $0.registerNode(node)
        },
        InvalidCase(description: "unknown gpu class", field: "gpuClass") { _ = try await $0.registerNode(.fixture(gpuClass: "tpu-v5")) },
        InvalidCase(description: "dcgm address without port", field: "dcgmAddress") {
            var node = NodeRecord.fixture(); node.dcgmAddress = "host"; _ = try await $0.registerNode(node)
        },
        InvalidCase(description: "dcgm path relative", field: "dcgmPath") {
            var node = NodeRecord.fixture(); node.dcgmPath = "metrics"; _ = try await $0.registerNode(node)
        },
        InvalidCase(description: "vllm path without address", field: "vllmPath") {
            var node = NodeRecord.fixture(); node.vllmAddress = nil; _ = try await $0.registerNode(node)
        },
        InvalidCase(description: "blank host", field: "host") {
            var node = NodeRecord.fixture(); node.host = ""; _ = try await $0.registerNode(node)
        },
        InvalidCase(description: "holding tenant unknown", field: "holding.tenant") {
            _ = try await $0.registerNode(.fixture(holding: .dedicated(tenant: "nobody")))
        },
        InvalidCase(description: "contributed to unknown pool", field: "holding.pool") {
            _ = try await $0.registerNode(.fixture(holding: .contributed(provider: "globex", pool: "nowhere")))
        },
        InvalidCase(description: "repeated GPU UUIDs", field: "gpuUUIDs") {
            var node = NodeRecord.fixture(); node.gpuUUIDs = ["GPU-1", "GPU-1"]; _ = try await $0.registerNode(node)
        },
        InvalidCase(description: "negative quota", field: "tokenQuota") {
            _ = try await $0.createSubscription(tenant: "acme", pool: "shared", plan: "p", tokenQuota: -1, period: "month")
        },
        InvalidCase(description: "unknown period", field: "period") {
            _ = try await $0.createSubscription(tenant: "acme", pool: "shared", plan: "p", tokenQuota: 1, period: "year")
        },
        InvalidCase(description: "subscription to unknown pool", field: "pool") {
            _ = try await $0.createSubscription(tenant: "acme", pool: "nowhere", plan: "p", tokenQuota: 1, period: "day")
        },
        InvalidCase(description: "subscription of unknown tenant", field: "tenant") {
            _ = try await $0.createSubscription(tenant: "nobody", pool: "shared", plan: "p", tokenQuota: 1, period: "day")
        },
        InvalidCase(description: "blank plan", field: "plan") {
            _ = try await $0.createSubscription(tenant: "acme", pool: "shared", plan: "", tokenQuota: 1, period: "day")
        },
        InvalidCase(description: "audit detail not a JSON object", field: "detail") {
            try await $0.appendAudit(actor: "op", action: "tenant.create", target: "acme", detail: "[1]")
        },
        InvalidCase(description: "audit limit 0", field: "limit") { _ = try await $0.auditLog(limit: 0) },
        InvalidCase(description: "blank key label", field: "label") { _ = try await $0.createAPIKey(userID: "u_x", label: "") },
    ]

    @Test("invalid input names the field and writes nothing", arguments: Backend.allCases, invalidCases)
    func invalid(backend: Backend, row: InvalidCase) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            let before = try await snapshot(store)
            let error = await storeError { try await row.call(store) }
            #expect(error?.invalidField == row.field, "\(String(describing: error))")
            #expect(try await snapshot(store) == before)
        }
    }

    @Test("a write whose caller is cancelled mid-transaction finishes and leaves the store writable", arguments: Backend.allCases)
    func cancelledWrite(backend: Backend) async throws {
        try await withStore(backend) { db in
            let sql = try db.sql
            let started = AsyncStream<Void>.makeStream()
            let writer = Task {
                try await sql.write { handle in
                    try await handle.insert(into: "tenants").columns("name", "display_name", "created_at")
                        .values(SQLBind("slow"), SQLBind("Slow"), SQLBind(Int64(0))).run()
                    started.continuation.yield()
                    // Not a cancellation point for this frame: the transaction is shielded.
                    try await Task.sleep(for: .milliseconds(300))
                }
            }
            var iterator = started.stream.makeAsyncIterator()
            await iterator.next()
            writer.cancel()
            _ = try? await writer.value
            // The connection is not left inside a transaction: later writes work and nothing is lost.
            _ = try await db.store.createTenant(name: "after", displayName: "After")
            #expect(try await db.store.tenants().map(\.name).contains("after"))
            #expect(try await db.store.tenant(named: "slow") != nil, "the begun write was committed, not half-applied")
        }
    }

    @Test("unknown ids are not found", arguments: Backend.allCases)
    func notFound(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            #expect(await storeError { _ = try await store.createAPIKey(userID: "u_missing", label: "x") }
                == .notFound(entity: "user", id: "u_missing"))
            #expect(await storeError { try await store.revokeAPIKey(id: "k_missing", now: Date()) }
                == .notFound(entity: "api key", id: "k_missing"))
            #expect(await storeError { try await store.updateGPUUUIDs(node: "gpu-x", uuids: ["GPU-1"]) }
                == .notFound(entity: "node", id: "gpu-x"))
            let user = try await store.user(id: "u_missing")
            let node = try await store.node(named: "gpu-x")
            #expect(user == nil && node == nil)
        }
    }

    // MARK: Users and keys

    @Test("users belong to a tenant, operators to none", arguments: Backend.allCases)
    func users(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            let admin = try await store.createUser(name: "alice", tenant: "acme", kind: .tenantAdmin)
            let member = try await store.createUser(name: "bob", tenant: "acme", kind: .tenantMember)
            let other = try await store.createUser(name: "carol", tenant: "globex", kind: .tenantMember)
            let op = try await store.createUser(name: "ops", tenant: nil, kind: .siteOperator)
            #expect(admin.isAdmin && !admin.isOperator)
            #expect(!member.isAdmin)
            #expect(op.isAdmin && op.isOperator && op.tenant == nil)
            #expect(try await store.user(id: member.id) == member)
            #expect(try await store.users(tenant: "acme") == [admin, member])
            #expect(try await store.users(tenant: nil) == [admin, member, other, op])
            #expect(Set([admin.id, member.id, other.id, op.id]).count == 4)
        }
    }

    @Test("a key authenticates until revoked, and last-used follows use", arguments: Backend.allCases)
    func keyLifecycle(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            let user = try await store.createUser(name: "alice", tenant: "acme", kind: .tenantAdmin)
            let (record, plaintext) = try await store.createAPIKey(userID: user.id, label: "grafana")
            #expect(plaintext.hasPrefix(record.prefix + "_"))
            #expect(record.lastUsedAt == nil && record.revokedAt == nil)

            let t1 = Date(timeIntervalSince1970: 1_800_000_000)
            let first = try #require(try await store.authenticate(apiKey: plaintext, now: t1))
            #expect(first.user == user)
            #expect(first.key.id == record.id)
            #expect(first.key.lastUsedAt == t1)
            #expect(try await store.apiKeys(userID: user.id).first?.lastUsedAt == t1)

            // Within the resolution the stored time is not rewritten; after it, it is.
            _ = try await store.authenticate(apiKey: plaintext, now: t1.addingTimeInterval(10))
            #expect(try await store.apiKeys(userID: user.id).first?.lastUsedAt == t1)
            let t2 = t1.addingTimeInterval(120)
            #expect(try await store.authenticate(apiKey: plaintext, now: t2)?.key.lastUsedAt == t2)
            #expect(try await store.apiKeys(userID: user.id).first?.lastUsedAt == t2)

            let revokedAt = t2.addingTimeInterval(1)
            try await store.revokeAPIKey(id: record.id, now: revokedAt)
            #expect(try await store.authenticate(apiKey: plaintext, now: t2.addingTimeInterval(2)) == nil)
            // Revoking twice keeps the first time.
            try await store.revokeAPIKey(id: record.id, now: revokedAt.addingTimeInterval(60))
            #expect(try await store.apiKeys(userID: user.id).first?.revokedAt == revokedAt)
        }
    }

    @Test("wrong, malformed and foreign keys do not authenticate", arguments: Backend.allCases)
    func badKeys(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            let user = try await store.createUser(name: "alice", tenant: "acme", kind: .tenantAdmin)
            let (_, plaintext) = try await store.createAPIKey(userID: user.id, label: "ci")
            let lastCharacter = plaintext.last == "0" ? "1" : "0"
            let tampered = String(plaintext.dropLast()) + lastCharacter
            for presented in [tampered, "", "aif_", plaintext + "0", plaintext.uppercased(), "Bearer " + plaintext,
                              "aif_000000000000_" + String(repeating: "0", count: 64)] {
                #expect(try await store.authenticate(apiKey: presented, now: Date()) == nil, "\(presented)")
            }
            #expect(try await store.apiKeys(userID: user.id).first?.lastUsedAt == nil)
        }
    }

    @Test("only the SHA-256 hash of a key is stored, never the plaintext", arguments: Backend.allCases)
    func hashStored(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            let user = try await store.createUser(name: "alice", tenant: "acme", kind: .tenantAdmin)
            let (record, plaintext) = try await store.createAPIKey(userID: user.id, label: "ci")
            let rows = try await db.sql.rowsUnsafe("SELECT * FROM api_keys", columns: ["prefix", "hash"])
            #expect(rows.count == 1)
            #expect(rows.first?[0] == record.prefix)
            #expect(rows.first?[1] == APIKeyMaterial.hash(plaintext))
            #expect(rows.first?[1]?.count == 64)
            let secret = String(plaintext.dropFirst(record.prefix.count + 1))
            #expect(secret.count == 64)
            let everything = try await db.sql.rowsUnsafe(
                "SELECT id, prefix, hash, user_id, label FROM api_keys", columns: ["id", "prefix", "hash", "user_id", "label"])
            #expect(!everything.flatMap { $0 }.contains { $0?.contains(secret) ?? false })
        }
    }

    @Test("keys are listed per user", arguments: Backend.allCases)
    func keyListing(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            let alice = try await store.createUser(name: "alice", tenant: "acme", kind: .tenantAdmin)
            let bob = try await store.createUser(name: "bob", tenant: "acme", kind: .tenantMember)
            let k1 = try await store.createAPIKey(userID: alice.id, label: "one").record
            _ = try await store.createAPIKey(userID: bob.id, label: "bob's")
            let k2 = try await store.createAPIKey(userID: alice.id, label: "two").record
            #expect(Set(try await store.apiKeys(userID: alice.id).map(\.id)) == [k1.id, k2.id])
            #expect(try await store.apiKeys(userID: bob.id).map(\.label) == ["bob's"])
        }
    }

    // MARK: Nodes and subscriptions

    @Test("nodes round-trip every field, dedicated and contributed", arguments: Backend.allCases)
    func nodes(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            var dedicated = NodeRecord.fixture("gpu-b", holding: .dedicated(tenant: "acme"))
            dedicated.gpuUUIDs = ["GPU-aaaa", "GPU-bbbb"]
            var contributed = NodeRecord.fixture("gpu-a", holding: .contributed(provider: "globex", pool: "shared"), gpuClass: "ada-48")
            contributed.vllmAddress = nil
            contributed.vllmPath = nil
            let storedB = try await store.registerNode(dedicated)
            let storedA = try await store.registerNode(contributed)
            #expect(storedB.name == "gpu-b" && storedB.gpuUUIDs == ["GPU-aaaa", "GPU-bbbb"])
            #expect(try await store.node(named: "gpu-b") == storedB)
            #expect(try await store.node(named: "gpu-a") == storedA)
            #expect(storedA.vllmAddress == nil && storedA.vllmPath == nil)
            #expect(try await store.nodes() == [storedA, storedB])
        }
    }

    @Test("a vLLM address without a path gets /metrics", arguments: Backend.allCases)
    func vllmDefaultPath(backend: Backend) async throws {
        try await withStore(backend) { db in
            try await db.store.seedBasics()
            var node = NodeRecord.fixture()
            node.vllmPath = nil
            #expect(try await db.store.registerNode(node).vllmPath == "/metrics")
        }
    }

    @Test("GPU UUIDs are recorded once seen", arguments: Backend.allCases)
    func gpuUUIDs(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            _ = try await store.registerNode(.fixture())
            #expect(try await store.node(named: "gpu-1")?.gpuUUIDs == [])
            try await store.updateGPUUUIDs(node: "gpu-1", uuids: ["GPU-1", "GPU-2"])
            #expect(try await store.node(named: "gpu-1")?.gpuUUIDs == ["GPU-1", "GPU-2"])
            #expect(await storeError { try await store.updateGPUUUIDs(node: "gpu-1", uuids: ["GPU-3", "GPU-3"]) }?.invalidField == "gpuUUIDs")
            #expect(try await store.node(named: "gpu-1")?.gpuUUIDs == ["GPU-1", "GPU-2"])
        }
    }

    @Test("subscriptions are listed per tenant or all", arguments: Backend.allCases)
    func subscriptions(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            _ = try await store.createPool(name: "other", displayName: "Other")
            let a = try await store.createSubscription(tenant: "acme", pool: "shared", plan: "standard", tokenQuota: 5_000_000, period: "month")
            let b = try await store.createSubscription(tenant: "acme", pool: "other", plan: "trial", tokenQuota: 0, period: "day")
            let c = try await store.createSubscription(tenant: "globex", pool: "shared", plan: "pro", tokenQuota: 9_000_000_000, period: "week")
            #expect(try await store.subscriptions(tenant: "acme") == [b, a])
            #expect(try await store.subscriptions(tenant: nil) == [b, a, c])
            #expect(c.tokenQuota == 9_000_000_000)
        }
    }

    @Test("roles resolve from stored inventory", arguments: Backend.allCases)
    func rolesFromStore(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            _ = try await store.createTenant(name: "initech", displayName: "Initech")
            _ = try await store.createTenant(name: "hooli", displayName: "Hooli")
            _ = try await store.registerNode(.fixture("gpu-1", holding: .dedicated(tenant: "acme")))
            _ = try await store.registerNode(.fixture("gpu-2", holding: .contributed(provider: "globex", pool: "shared")))
            _ = try await store.createSubscription(tenant: "initech", pool: "shared", plan: "standard", tokenQuota: 1, period: "month")
            let nodes = try await store.nodes(), subs = try await store.subscriptions(tenant: nil)
            let roles = ["acme", "globex", "initech", "hooli"].map {
                RoleResolver.resolve(tenant: $0, nodes: nodes, subscriptions: subs).role
            }
            #expect(roles == [.owner, .provider, .consumer, .none])
        }
    }

    // MARK: Audit

    @Test("audit entries are appended and read newest first", arguments: Backend.allCases)
    func audit(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            for i in 1...5 {
                try await store.appendAudit(actor: "ops", action: "tenant.create", target: "t\(i)", detail: #"{"i":\#(i)}"#)
            }
            let log = try await store.auditLog(limit: 3)
            #expect(log.map(\.target) == ["t5", "t4", "t3"])
            #expect(log.map(\.id) == log.map(\.id).sorted(by: >))
            #expect(log.first?.detail == #"{"i":5}"#)
            #expect(try await store.auditLog(limit: 100).count == 5)
        }
    }

    // MARK: Migrations

    @Test("migrations are idempotent: migrate twice, reopen, data intact", arguments: Backend.allCases)
    func migrationsIdempotent(backend: Backend) async throws {
        try await withStore(backend) { db in
            try await db.store.seedBasics()
            try await db.store.migrate()
            try await db.store.migrate()
            let versions = try await db.sql.appliedMigrations()
            #expect(versions == Migrations.all.map(\.version))
            let reopened = try await db.reopen()
            try await reopened.migrate()
            #expect(try await reopened.tenants().map(\.name) == ["acme", "globex"])
            let again = try #require(reopened as? SQLStore)
            #expect(try await again.appliedMigrations() == versions)
            try await reopened.close()
        }
    }

    @Test("SQLite runs in WAL mode with full sync and foreign keys on")
    func sqlitePragmas() async throws {
        try await withStore(.sqlite) { db in
            let sql = try db.sql
            #expect(try await sql.rowsUnsafe("PRAGMA journal_mode", columns: ["journal_mode"]) == [["wal"]])
            #expect(try await sql.rowsUnsafe("PRAGMA synchronous", columns: ["synchronous"]) == [["2"]])
            #expect(try await sql.rowsUnsafe("PRAGMA foreign_keys", columns: ["foreign_keys"]) == [["1"]])
            guard case .sqlite(let path) = db.location else { return }
            #expect(FileManager.default.fileExists(atPath: path))
        }
    }

    @Test("foreign keys are enforced by the database itself", arguments: Backend.allCases)
    func foreignKeysEnforced(backend: Backend) async throws {
        try await withStore(backend) { db in
            let sql = try db.sql
            await #expect(throws: (any Error).self) {
                try await sql.executeUnsafe(
                    "INSERT INTO users (id, name, tenant, kind, created_at) VALUES ('u_1', 'x', 'ghost', 'tenant-admin', 0)")
            }
        }
    }

    @Test("a PostgreSQL URL that is malformed or unreachable fails with a message that hides it")
    func postgresBadURL() async throws {
        let malformed = await storeError { _ = try await StoreFactory.postgres(url: "mysql://x", logger: Backend.silentLogger) }
        #expect(malformed?.invalidField == "databaseURL")
        let unreachable = await storeError {
            _ = try await StoreFactory.postgres(url: "postgres://u:secret@127.0.0.1:1/db?sslmode=disable", logger: Backend.silentLogger)
        }
        #expect(unreachable == .unavailable("cannot connect to PostgreSQL"))
        #expect(!(unreachable?.userMessage.contains("secret") ?? true))
    }
}

/// Everything the store lists, for "nothing changed" checks.
private func snapshot(_ store: any Store) async throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let parts: [Data] = [
        try encoder.encode(try await store.tenants()),
        try encoder.encode(try await store.users(tenant: nil)),
        try encoder.encode(try await store.pools()),
        try encoder.encode(try await store.nodes()),
        try encoder.encode(try await store.subscriptions(tenant: nil)),
        try encoder.encode(try await store.auditLog(limit: 1000)),
    ]
    return parts.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
}
