import Foundation

/// Number, duration and time formatting for finding reasons: deterministic (UTC, no locale), so
/// reasons are stable across machines and testable word for word.
enum HealthFormat {
    /// `91`, `87.5`, `0.25`: integers without a decimal point, others with up to two decimals.
    static func number(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        let scaled = (value * 100).rounded() / 100
        if scaled.rounded() == scaled, abs(scaled) < 1e15 { return String(Int64(scaled)) }
        var text = String(scaled)
        if text.contains("e") { return text }
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// `91 °C`.
    static func celsius(_ value: Double) -> String { "\(number(value.rounded())) °C" }

    /// `90 %` from a percentage, rounded to a whole percent.
    static func percent(_ value: Double) -> String { "\(number(value.rounded())) %" }

    /// `45 s`, `5 min`, `1 h`, `1 h 30 min`, `2 d`.
    static func duration(_ seconds: Double) -> String {
        let total = Int((max(0, seconds)).rounded())
        if total < 120 && total % 60 != 0 || total < 60 { return "\(total) s" }
        let minutes = total / 60
        if minutes < 60 { return "\(minutes) min" }
        let hours = minutes / 60, restMinutes = minutes % 60
        if hours < 48 { return restMinutes == 0 ? "\(hours) h" : "\(hours) h \(restMinutes) min" }
        return "\(hours / 24) d"
    }

    /// `2026-05-12T14:03:12Z`.
    static func timestamp(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let time = "\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))"
        return "\(year)-\(two(month))-\(two(day))T\(time)Z"
    }

    /// `2026-05-12T14:03:12Z (5 min ago)`.
    static func moment(_ date: Date, now: Date) -> String {
        let age = now.timeIntervalSince(date)
        return age >= 1 ? "\(timestamp(date)) (\(duration(age)) ago)" : timestamp(date)
    }
}
