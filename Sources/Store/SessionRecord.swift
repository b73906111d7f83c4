public import Foundation

/// A browser session as stored: who it stands for and until when. The token itself is never
/// stored, only its SHA-256, so reading the database yields no cookie that works.
public struct SessionRecord: Sendable, Hashable {
    public var userID: String
    /// The API key the session was opened with; revoking it deletes the session.
    public var keyID: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(userID: String, keyID: String, createdAt: Date, expiresAt: Date) {
        self.userID = userID
        self.keyID = keyID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
