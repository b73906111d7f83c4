import Foundation

/// Times are stored as whole milliseconds since 1970 in a `BIGINT`, identical on both databases.
///
/// Values returned by the store are truncated the same way before they are returned, so a record
/// read back compares equal to the one `create…` returned.
enum Timestamp {
    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    /// The current time at storage precision.
    static func now() -> (date: Date, millis: Int64) {
        let ms = millis(Date())
        return (date(ms), ms)
    }
}
