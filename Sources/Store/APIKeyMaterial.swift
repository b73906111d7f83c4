import Crypto
import Foundation

/// Making, hashing and checking API keys.
///
/// A key reads `aif_<prefix>_<secret>`: 12 hex characters of prefix (48 random bits, only to find
/// the row; not secret, shown in key lists) and 64 hex characters of secret (256 random bits from the
/// system CSPRNG). Only SHA-256 of the whole key is stored.
///
/// A plain SHA-256 is enough, where passwords need a slow KDF (bcrypt, scrypt, Argon2): a KDF exists
/// to make guessing low-entropy, human-chosen secrets expensive after a database leak. A 256-bit
/// random secret cannot be guessed at any hash rate, so slowing each check would only cost us
/// latency on every request.
enum APIKeyMaterial {
    static let scheme = "aif"
    static let prefixHexLength = 12
    static let secretHexLength = 64

    struct Generated {
        /// `aif_<12 hex>`: what is stored and shown.
        var prefix: String
        /// The whole key, shown once.
        var plaintext: String
        /// Lower-case hex SHA-256 of `plaintext`.
        var hash: String
    }

    static func generate() -> Generated {
        let prefix = "\(scheme)_" + randomHex(bytes: prefixHexLength / 2)
        let plaintext = prefix + "_" + randomHex(bytes: secretHexLength / 2)
        return Generated(prefix: prefix, plaintext: plaintext, hash: hash(plaintext))
    }

    /// The lookup prefix of a presented key, or `nil` when it is not shaped like one of ours (which
    /// then never touches the database).
    static func prefix(of presented: String) -> String? {
        let parts = presented.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == scheme,
              parts[1].utf8.count == prefixHexLength, parts[1].utf8.allSatisfy(isLowerHex),
              parts[2].utf8.count == secretHexLength, parts[2].utf8.allSatisfy(isLowerHex)
        else { return nil }
        return "\(scheme)_\(parts[1])"
    }

    static func hash(_ plaintext: String) -> String {
        hex(SHA256.hash(data: Data(plaintext.utf8)))
    }

    /// Compares two hashes in time that depends only on their length, so response timing does not
    /// reveal how many leading characters of a guess were right.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// Random lower-case hex from `SystemRandomNumberGenerator` (getrandom(2) on Linux, a CSPRNG).
    static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return hex((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]], as: UTF8.self)
        }.joined()
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }
}
