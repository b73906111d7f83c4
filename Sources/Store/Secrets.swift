/// Randomness and comparisons for secrets (API keys, session tokens, the SD token).
///
/// One place so every secret the product issues comes from the system CSPRNG and every
/// comparison of a presented secret takes the same time wherever it first differs.
public enum Secrets {
    /// `count` random bytes as lower-case hex, from `SystemRandomNumberGenerator` (getrandom(2)).
    public static func randomHex(bytes count: Int) -> String {
        APIKeyMaterial.randomHex(bytes: count)
    }

    /// Equality whose duration does not depend on where the strings first differ (only on length,
    /// which is not secret for the fixed-length tokens compared here).
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        APIKeyMaterial.constantTimeEquals(a, b)
    }

    /// The non-secret lookup prefix (`aif_<12 hex>`) of a presented API key, or `nil` when it is
    /// not shaped like one of ours. Failed-auth limiting counts guesses per prefix.
    public static func keyPrefix(of presented: String) -> String? {
        APIKeyMaterial.prefix(of: presented)
    }

    /// Lower-case hex SHA-256: what is stored of a session token, so a read of the database does
    /// not yield cookies that still work.
    public static func sha256Hex(_ text: String) -> String {
        APIKeyMaterial.hash(text)
    }
}
