import Fleet
import Foundation
import SQLKit

extension SQLStore {
    func createUser(name: String, tenant: String?, kind: UserKind) async throws -> User {
        try Validate.name(name)
        switch (kind.requiresTenant, tenant) {
        case (true, nil):
            throw StoreError.invalid(field: "tenant", reason: "is required for \(kind.rawValue) users")
        case (false, .some):
            throw StoreError.invalid(field: "tenant", reason: "must be empty: site operators belong to no tenant")
        case (true, .some(let tenant)):
            try Validate.name(tenant, field: "tenant")
        case (false, nil):
            break
        }
        let now = Timestamp.now()
        let user = User(id: Self.newID("u_"), name: name, tenant: tenant, kind: kind, createdAt: now.date)
        let duplicate = StoreError.duplicate(entity: "user", name: name)
        return try await write(duplicate: duplicate) { db in
            if let tenant, try await !Self.exists(db, "tenants", "name", tenant) {
                throw StoreError.invalid(field: "tenant", reason: "no tenant named '\(tenant)'")
            }
            if try await Self.exists(db, "users", "name", name) { throw duplicate }
            try await db.insert(into: "users")
                .columns("id", "name", "tenant", "kind", "created_at")
                .values(SQLBind(user.id), SQLBind(name), Self.bind(tenant), SQLBind(kind.rawValue), SQLBind(now.millis))
                .run()
            return user
        }
    }

    func user(id: String) async throws -> User? {
        try await read { db in
            try await db.select().column("*").from("users").where("id", .equal, id).first()?.user()
        }
    }

    func users(tenant: String?) async throws -> [User] {
        try await read { db in
            var query = db.select().column("*").from("users")
            if let tenant { query = query.where("tenant", .equal, tenant) }
            return try await query.orderBy("name").all().map { try $0.user() }
        }
    }

    func createAPIKey(userID: String, label: String, audit: AuditNote?) async throws -> (record: APIKeyRecord, plaintext: String) {
        try Validate.text(label, field: "label", maxLength: 100)
        let now = Timestamp.now()
        let material = APIKeyMaterial.generate()
        let record = APIKeyRecord(
            id: Self.newID("k_"), prefix: material.prefix, userID: userID, label: label, createdAt: now.date)
        let auditRow = try audit.map { note throws(StoreError) in
            var detail = note.detail
            detail["prefix"] = material.prefix
            return try Self.auditRow(actor: note.actor, action: note.action, target: record.id, detail: detail)
        }
        // A prefix collision (48 random bits) is astronomically unlikely; it surfaces as a duplicate
        // rather than a silent overwrite, and the caller can simply retry.
        try await write(duplicate: .duplicate(entity: "api key", name: material.prefix)) { db in
            guard try await Self.exists(db, "users", "id", userID) else {
                throw StoreError.notFound(entity: "user", id: userID)
            }
            try await db.insert(into: "api_keys")
                .columns("id", "prefix", "hash", "user_id", "label", "created_at", "last_used_at", "revoked_at")
                .values(SQLBind(record.id), SQLBind(material.prefix), SQLBind(material.hash), SQLBind(userID),
                        SQLBind(label), SQLBind(now.millis), SQLLiteral.null, SQLLiteral.null)
                .run()
            if let auditRow { try await Self.insertAudit(db, auditRow, at: now.millis) }
        }
        return (record, material.plaintext)
    }

    /// How stale `last_used_at` may get before a successful authentication rewrites it.
    ///
    /// Without it every API request would be a synchronous (fsynced) write; a minute is precise
    /// enough to answer "is this key still in use?".
    static let lastUsedResolution: Int64 = 60_000

    func authenticate(apiKey: String, now: Date) async throws -> (key: APIKeyRecord, user: User)? {
        guard let prefix = APIKeyMaterial.prefix(of: apiKey) else { return nil }
        let presentedHash = APIKeyMaterial.hash(apiKey)
        let nowMillis = Timestamp.millis(now)
        // Look up by the non-secret prefix, then compare hashes in constant time. Whether a prefix
        // exists may show in timing; the prefix is not secret, the 256-bit remainder is.
        guard let found = try await read({ db -> (APIKeyRecord, String, User)? in
            guard let row = try await db.select().column("*").from("api_keys")
                .where("prefix", .equal, prefix).first() else { return nil }
            let key = try row.apiKey()
            guard let user = try await db.select().column("*").from("users")
                .where("id", .equal, key.userID).first()?.user() else { return nil }
            return (key, try row.decode(column: "hash", as: String.self), user)
        }) else { return nil }
        var (key, storedHash, user) = found
        guard APIKeyMaterial.constantTimeEquals(storedHash, presentedHash), key.revokedAt == nil else { return nil }
        if key.lastUsedAt.map({ nowMillis - Timestamp.millis($0) >= Self.lastUsedResolution }) ?? true {
            let id = key.id
            let stillActive = try await write { db in
                // Re-check revocation inside the write: a key revoked since the read must not
                // authenticate, and its row must not be touched.
                guard let row = try await db.select().column("revoked_at").from("api_keys")
                    .where("id", .equal, id).first(),
                    try row.decode(column: "revoked_at", as: Int64?.self) == nil else { return false }
                try await db.update("api_keys").set("last_used_at", to: nowMillis).where("id", .equal, id).run()
                return true
            }
            guard stillActive else { return nil }
            key.lastUsedAt = Timestamp.date(nowMillis)
        }
        return (key, user)
    }

    func revokeAPIKey(id: String, now: Date) async throws {
        let nowMillis = Timestamp.millis(now)
        try await write { db in
            guard let row = try await db.select().column("revoked_at").from("api_keys")
                .where("id", .equal, id).first() else {
                throw StoreError.notFound(entity: "api key", id: id)
            }
            // Sessions end with their key, even when it was revoked before (older rows).
            try await db.delete(from: "sessions").where("key_id", .equal, id).run()
            if try row.decode(column: "revoked_at", as: Int64?.self) != nil { return }
            try await db.update("api_keys").set("revoked_at", to: nowMillis).where("id", .equal, id).run()
        }
    }

    func apiKeys(userID: String) async throws -> [APIKeyRecord] {
        try await read { db in
            try await db.select().column("*").from("api_keys").where("user_id", .equal, userID)
                .orderBy("created_at").orderBy("id").all().map { try $0.apiKey() }
        }
    }
}
