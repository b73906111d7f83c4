import Foundation
import SQLKit

extension SQLStore {
    func createSession(tokenHash: String, userID: String, keyID: String, expiresAt: Date, maxPerUser: Int) async throws {
        try Validate.text(tokenHash, field: "tokenHash", maxLength: 128)
        guard maxPerUser > 0 else { throw StoreError.invalid(field: "maxPerUser", reason: "must be greater than 0") }
        let now = Timestamp.now()
        let expires = Timestamp.millis(expiresAt)
        try await write(duplicate: .duplicate(entity: "session", name: "token")) { db in
            guard try await Self.exists(db, "users", "id", userID) else { throw StoreError.notFound(entity: "user", id: userID) }
            guard let key = try await db.select().column("user_id").column("revoked_at").from("api_keys")
                .where("id", .equal, keyID).first(),
                try key.decode(column: "user_id", as: String.self) == userID,
                try key.decode(column: "revoked_at", as: Int64?.self) == nil else {
                throw StoreError.notFound(entity: "api key", id: keyID)
            }
            // Expired sessions of anyone go first; then the user's oldest beyond the bound.
            try await db.delete(from: "sessions").where("expires_at", .lessThanOrEqual, SQLBind(now.millis)).run()
            let existing = try await db.select().column("token_hash").from("sessions").where("user_id", .equal, userID)
                .orderBy("created_at", .descending).orderBy("token_hash", .descending).all()
                .map { try $0.decode(column: "token_hash", as: String.self) }
            for stale in existing.dropFirst(maxPerUser - 1) {
                try await db.delete(from: "sessions").where("token_hash", .equal, stale).run()
            }
            try await db.insert(into: "sessions")
                .columns("token_hash", "user_id", "key_id", "created_at", "expires_at")
                .values(SQLBind(tokenHash), SQLBind(userID), SQLBind(keyID), SQLBind(now.millis), SQLBind(expires))
                .run()
        }
    }

    func session(tokenHash: String, now: Date) async throws -> SessionRecord? {
        let nowMillis = Timestamp.millis(now)
        return try await read { db in
            guard let row = try await db.select().column("*").from("sessions").where("token_hash", .equal, tokenHash).first(),
                  try row.decode(column: "expires_at", as: Int64.self) > nowMillis else { return nil }
            return SessionRecord(userID: try row.decode(column: "user_id", as: String.self),
                                 keyID: try row.decode(column: "key_id", as: String.self),
                                 createdAt: try row.date("created_at"), expiresAt: try row.date("expires_at"))
        }
    }

    func deleteSession(tokenHash: String) async throws {
        try await write { db in
            try await db.delete(from: "sessions").where("token_hash", .equal, tokenHash).run()
        }
    }

    func sessionCount(userID: String) async throws -> Int {
        try await read { db in
            try await db.select().column("token_hash").from("sessions").where("user_id", .equal, userID).all().count
        }
    }
}
