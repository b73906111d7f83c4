/// Enrolment tokens and agent credentials: `aife_<64 hex>` and `aifn_<64 hex>`, 256 random bits
/// each, stored only as SHA-256 (the reasoning of `APIKeyMaterial` applies: a random 256-bit
/// secret needs no slow hash). Looked up by hash, as session tokens are.
enum EnrolmentMaterial {
    static let tokenScheme = "aife_"
    static let credentialScheme = "aifn_"
    static let secretHexLength = 64

    static func generate(_ scheme: String) -> (plaintext: String, hash: String) {
        let plaintext = scheme + APIKeyMaterial.randomHex(bytes: secretHexLength / 2)
        return (plaintext, APIKeyMaterial.hash(plaintext))
    }

    /// `true` when `presented` is shaped like one of ours; anything else never reaches the database.
    static func isWellFormed(_ presented: String, scheme: String) -> Bool {
        guard presented.hasPrefix(scheme) else { return false }
        let secret = presented.utf8.dropFirst(scheme.utf8.count)
        return secret.count == secretHexLength
            && secret.allSatisfy { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) }
    }
}
