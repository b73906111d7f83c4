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
}
