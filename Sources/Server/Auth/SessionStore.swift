public import Foundation
public import Store

/// Browser sessions opened by logging in with an API key, kept in the `Store`.
///
/// A session token is 256 random bits sent only in the session cookie (`SessionCookie`); the
/// store keeps its SHA-256 with the user and key it stands for. Persisted so a restart does not
/// sign everyone out (and leave browsers holding a cookie the server no longer knows); bounded
/// per user so a script logging in in a loop cannot grow the table without end; deleted with the
/// key that opened it (and the key is re-checked on every request, so revocation is immediate).
public struct SessionStore: Sendable {
    public let lifetime: TimeInterval
    /// Sessions one user may hold; a new login beyond it ends that user's oldest session.
    public let maxPerUser: Int

    public init(lifetime: TimeInterval = 12 * 3600, maxPerUser: Int = 20) {
        self.lifetime = lifetime
        self.maxPerUser = max(1, maxPerUser)
    }

    /// Opens a session and returns its token (the only place the token exists, besides the cookie).
    public func open(userID: String, keyID: String, now: Date, in store: any Store) async throws -> String {
        let token = Secrets.randomHex(bytes: 32)
        try await store.createSession(tokenHash: Secrets.sha256Hex(token), userID: userID, keyID: keyID,
                                      expiresAt: now.addingTimeInterval(lifetime), maxPerUser: maxPerUser)
        return token
    }

    /// The `(userID, keyID)` a live token stands for; `nil` for unknown, expired or malformed tokens.
    public func lookup(_ token: String, now: Date, in store: any Store) async throws -> (userID: String, keyID: String)? {
        guard Self.isWellFormed(token), let session = try await store.session(tokenHash: Secrets.sha256Hex(token), now: now) else { return nil }
        return (session.userID, session.keyID)
    }

    public func close(_ token: String, in store: any Store) async throws {
        guard Self.isWellFormed(token) else { return }
        try await store.deleteSession(tokenHash: Secrets.sha256Hex(token))
    }

    /// 64 lower-case hex characters: anything else is not ours and never reaches the database.
    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 64 && token.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
