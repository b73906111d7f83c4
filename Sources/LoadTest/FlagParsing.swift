/// Parses the CLI's list and duration flags into typed values, naming the flag on failure, so
/// the command stays a thin mapping and the rules are unit-tested here.
public enum FlagParsing {
    /// `1,4,16` → [1, 4, 16]; each value in `range`.
    public static func integers(_ text: String, flag: String, range: ClosedRange<Int>) throws(LoadTestError) -> [Int] {
        var values: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Int(part.trimmingWhitespace()), range.contains(value) else {
                throw .invalidFlag(flag: flag, message: "'\(part)' is not a whole number from \(range.lowerBound) to \(range.upperBound) (expected a list like 1,4,16)")
            }
            values.append(value)
        }
        return values
    }

    /// `50,100.5` → [50, 100.5]; each value > 0.
    public static func rates(_ text: String, flag: String) throws(LoadTestError) -> [Double] {
        var values: [Double] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Double(part.trimmingWhitespace()), value > 0, value.isFinite, value <= 1_000_000 else {
                throw .invalidFlag(flag: flag, message: "'\(part)' is not a request rate above 0 (expected a list like 50,100)")
            }
            values.append(value)
        }
        return values
    }

    /// `60s`, `2m`, `1h`, `500ms`, `90` (seconds) → Duration > 0.
    public static func duration(_ text: String, flag: String) throws(LoadTestError) -> Duration {
        let t = String(text.trimmingWhitespace().lowercased())
        var seconds: Double?
        for (suffix, factor) in [("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)] where t.hasSuffix(suffix) {
            seconds = Double(t.dropLast(suffix.count)).map { $0 * factor }
            break
        }
        if seconds == nil { seconds = Double(t) }
        guard let seconds, seconds > 0, seconds.isFinite, seconds < 1e7 else {
            throw .invalidFlag(flag: flag, message: "'\(text)' is not a duration such as 60s, 2m or 500ms")
        }
        return .nanoseconds(Int64(seconds * 1e9))
    }
}
