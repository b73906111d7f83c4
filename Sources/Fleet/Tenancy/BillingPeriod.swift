public import Foundation

/// The calendar window a subscription's quota counts in (UTC): this month, this ISO week
/// (Monday first) or today.
public struct BillingPeriod: Sendable, Hashable {
    public var start: Date
    public var end: Date

    public init(_ period: String, containing date: Date) {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let component: Calendar.Component = switch period {
        case "day": .day
        case "week": .weekOfYear
        default: .month
        }
        let interval = calendar.dateInterval(of: component, for: date) ?? DateInterval(start: date, duration: 86_400)
        start = interval.start
        end = interval.end
    }
}
