import Foundation

/// Parses the RFC 3339 timestamps Prometheus writes (`2024-04-05T10:11:12.123456789+02:00`).
///
/// Go prints up to nine fractional digits, more than `ISO8601DateFormatter` reliably reads, so
/// the fraction is split off and added back. Go's zero time (`0001-01-01T00:00:00Z`, "never")
/// reads as `nil`.
enum RFC3339 {
    static func parse(_ text: String) -> Date? {
        var whole = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let digitsEnd = text[dot...].dropFirst().firstIndex(where: { !$0.isNumber }) ?? text.endIndex
            fraction = Double("0" + text[dot..<digitsEnd]) ?? 0
            whole = String(text[..<dot]) + String(text[digitsEnd...])
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: whole) else { return nil }
        guard date.timeIntervalSince1970 > -62_000_000_000 else { return nil }
        return date.addingTimeInterval(fraction)
    }
}
