/// The one rule for entity names (tenants, users, pools, nodes): `[a-z0-9][a-z0-9-]{0,62}`.
///
/// Names become Prometheus label values, URL path segments and log fields; restricting them to a DNS
/// label's alphabet means none of those places needs escaping and no name can smuggle a matcher or
/// a path separator.
public enum NameRule {
    public static let maxLength = 63

    /// `nil` when valid, otherwise a reason a person can act on.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name.utf8.count > maxLength { return "must be at most \(maxLength) characters" }
        var first = true
        for byte in name.utf8 {
            let isLower = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            let isDash = byte == UInt8(ascii: "-")
            if first && !(isLower || isDigit) {
                return "must start with a lower-case letter or digit"
            }
            if !(isLower || isDigit || isDash) {
                return "may contain only lower-case letters, digits and '-'"
            }
            first = false
        }
        return nil
    }

    public static func isValid(_ name: String) -> Bool { problem(with: name) == nil }
}
