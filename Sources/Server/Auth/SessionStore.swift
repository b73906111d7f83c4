public import Foundation
import Store

/// Browser sessions opened by logging in with an API key.
///
/// A session token is 256 random bits sent only as an `HttpOnly; SameSite=Strict` cookie; the
/// server keeps the user and key it stands for, so revoking the key ends its sessions too (the
/// key is re-checked on every request). Sessions live in memory: a restart logs browsers out,
/// which is the safe failure.
public actor SessionStore {
    struct Session {
        var userID: String
        var keyID: String
        var expires: Date
    }

    private var sessions: [String: Session] = [:]
    public let lifetime: TimeInterval

    public init(lifetime: TimeInterval = 12 * 3600) {
        self.lifetime = lifetime
    }

    /// Opens a session and returns its token.
    public func open(userID: String, keyID: String, now: Date) -> String {
        purge(now: now)
        let token = Self.randomToken()
        sessions[token] = Session(userID: userID, keyID: keyID, expires: now.addingTimeInterval(lifetime))
        return token
    }

    /// The `(userID, keyID)` a live token stands for.
    public func lookup(_ token: String, now: Date) -> (userID: String, keyID: String)? {
        guard let session = sessions[token] else { return nil }
        guard session.expires > now else {
            sessions[token] = nil
            return nil
        }
        return (session.userID, session.keyID)
    }

    public func close(_ token: String) {
        sessions[token] = nil
    }

    private func purge(now: Date) {
        sessions = sessions.filter { $0.value.expires > now }
    }

    static func randomToken() -> String {
        Secrets.randomHex(bytes: 32)
    }
}
