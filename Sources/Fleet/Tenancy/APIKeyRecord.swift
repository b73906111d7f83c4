public import Foundation

/// What the store keeps about an API key: everything except the secret.
///
/// The plaintext is returned once, at creation; afterwards only its SHA-256 hash exists (not part of
/// this value, so it can never leak through an API response that encodes a record). `prefix` is a
/// short, non-secret part of the key used to find the row before comparing hashes.
public struct APIKeyRecord: Sendable, Hashable, Codable {
    /// Opaque id (`k_` + random hex), used to revoke the key.
    public var id: String
    /// Non-secret lookup prefix, also shown in key lists so people can tell keys apart.
    public var prefix: String
    public var userID: String
    /// Free text chosen at creation, e.g. "grafana" or "ci".
    public var label: String
    public var createdAt: Date
    /// Last successful authentication, `nil` until first use.
    public var lastUsedAt: Date?
    /// When the key was revoked; a revoked key never authenticates again.
    public var revokedAt: Date?

    public init(
        id: String, prefix: String, userID: String, label: String,
        createdAt: Date, lastUsedAt: Date? = nil, revokedAt: Date? = nil
    ) {
        self.id = id
        self.prefix = prefix
        self.userID = userID
        self.label = label
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// `true` while the key may authenticate.
    public var isActive: Bool { revokedAt == nil }
}
