import Fleet
import Foundation
@testable import Store
import Testing

/// Finding 3 (sessions persisted, bounded, revoked with the key) and finding 9 (a created key is
/// audited in its own transaction), on SQLite and PostgreSQL alike.
@Suite("Finding 3: persisted sessions")
struct SessionStoreTests {
    static func user(_ store: any Store) async throws -> (User, APIKeyRecord) {
        try await store.seedBasics()
        let user = try await store.createUser(name: "ada", tenant: "acme", kind: .tenantAdmin)
        let (key, _) = try await store.createAPIKey(userID: user.id, label: "laptop")
        return (user, key)
    }

    @Test("finding 3: a session survives reopening the database and expires on time", arguments: Backend.allCases)
    func survivesRestart(backend: Backend) async throws {
        try await withStore(backend) { db in
            let (user, key) = try await Self.user(db.store)
            let now = Date()
            try await db.store.createSession(tokenHash: "h1", userID: user.id, keyID: key.id, expiresAt: now.addingTimeInterval(60), maxPerUser: 5)
            let reopened = try await db.reopen()
            let found = try await reopened.session(tokenHash: "h1", now: now)
            #expect(found?.userID == user.id)
            #expect(found?.keyID == key.id)
            #expect(try await reopened.session(tokenHash: "h1", now: now.addingTimeInterval(61)) == nil)
            #expect(try await reopened.session(tokenHash: "unknown", now: now) == nil)
            try await reopened.deleteSession(tokenHash: "h1")
            #expect(try await reopened.session(tokenHash: "h1", now: now) == nil)
            try await reopened.close()
        }
    }

    @Test("finding 3: a user keeps at most maxPerUser sessions, the oldest go first", arguments: Backend.allCases)
    func boundedPerUser(backend: Backend) async throws {
        try await withStore(backend) { db in
            let (user, key) = try await Self.user(db.store)
            let expires = Date().addingTimeInterval(3600)
            for index in 1...4 {
                try await db.store.createSession(tokenHash: "h\(index)", userID: user.id, keyID: key.id, expiresAt: expires, maxPerUser: 2)
                try await Task.sleep(for: .milliseconds(5))  // distinct creation times
            }
            #expect(try await db.store.sessionCount(userID: user.id) == 2)
            #expect(try await db.store.session(tokenHash: "h1", now: Date()) == nil)
            #expect(try await db.store.session(tokenHash: "h4", now: Date()) != nil)
        }
    }

    @Test("finding 3: revoking the key deletes its sessions; a revoked key opens none", arguments: Backend.allCases)
    func revokedWithKey(backend: Backend) async throws {
        try await withStore(backend) { db in
            let (user, key) = try await Self.user(db.store)
            try await db.store.createSession(tokenHash: "h1", userID: user.id, keyID: key.id, expiresAt: Date().addingTimeInterval(60), maxPerUser: 5)
            try await db.store.revokeAPIKey(id: key.id, now: Date())
            #expect(try await db.store.session(tokenHash: "h1", now: Date()) == nil)
            #expect(await storeError {
                try await db.store.createSession(tokenHash: "h2", userID: user.id, keyID: key.id, expiresAt: Date().addingTimeInterval(60), maxPerUser: 5)
            } == .notFound(entity: "api key", id: key.id))
        }
    }

    @Test("finding 9: a key created with an audit note commits with its audit row, or not at all", arguments: Backend.allCases)
    func keyAuditedInTransaction(backend: Backend) async throws {
        try await withStore(backend) { db in
            let (user, _) = try await Self.user(db.store)
            let (record, _) = try await db.store.createAPIKey(userID: user.id, label: "ci",
                                                              audit: AuditNote(actor: "root (u_1)", action: "key.create", detail: ["user": user.id]))
            let entry = try #require(try await db.store.auditLog(limit: 1).first)
            #expect(entry.action == "key.create")
            #expect(entry.target == record.id)
            #expect(entry.detail.contains(record.prefix))
            // An audit note that cannot be written (empty actor) leaves no key behind.
            let before = try await db.store.apiKeys(userID: user.id).count
            #expect(await storeError {
                _ = try await db.store.createAPIKey(userID: user.id, label: "x", audit: AuditNote(actor: " ", action: "key.create"))
            }?.invalidField == "actor")
            #expect(try await db.store.apiKeys(userID: user.id).count == before)
        }
    }
}
