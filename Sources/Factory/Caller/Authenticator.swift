public import Foundation
public import Store
import Fleet

/// The authentication path: the only place a ``Caller`` (and so a tenant or operator
/// capability) comes from.
///
/// The HTTP layer hands it what the request presented — an API key, or the user and key a session
/// cookie stands for — and gets a caller back only when the store vouches for it.
public struct Authenticator: Sendable {
    let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    /// The caller an API key authenticates, or `nil` for an unknown, revoked or expired key.
    public func caller(apiKey: String, now: Date) async throws -> Caller? {
        guard let (key, user) = try await store.authenticate(apiKey: apiKey, now: now) else { return nil }
        return Caller(user: user, keyID: key.id)
    }

    /// The caller a session stands for, or `nil` when the key that opened it was revoked since
    /// (revocation ends sessions) or the user is gone.
    public func caller(sessionUserID userID: String, keyID: String) async throws -> Caller? {
        let keys = try await store.apiKeys(userID: userID)
        guard keys.contains(where: { $0.id == keyID && $0.revokedAt == nil }), let user = try await store.user(id: userID) else {
            return nil
        }
        return Caller(user: user, keyID: keyID)
    }
}
