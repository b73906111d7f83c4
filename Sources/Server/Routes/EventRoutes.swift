import Factory
import Foundation
import Hummingbird

/// `GET nodes/:id/events` and `GET reliability` (mounted under `/api/v1/factory`): the event history
/// and the 30-day reliability of the hardware the caller holds (docs/EVENTS.md).
///
/// A node the caller does not hold answers 404 exactly like an unknown one; operators see every
/// node. A pool consumer holds no node, so its reliability list is empty and carries no hardware
/// identifier. The reads are `Factory.ReadModel`'s.
struct EventRoutes {
    let dependencies: ServerDependencies

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("nodes/:id/events") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try context.parameters.require("id")
            let since = try Self.since(request.uri.queryParameters.get("since"), now: dependencies.now())
            return try await dependencies.readModel.events(caller, node: id, since: since).jsonResponse()
        }
        group.get("reliability") { _, context -> Response in
            let caller = try context.requireCaller()
            return try await dependencies.readModel.reliability(caller, logger: context.logger).jsonResponse()
        }
    }

    /// `?since=` as RFC 3339 or a number of days back (`7`); default 30 days back. Bad input is a 400.
    static func since(_ text: String?, now: Date) throws -> Date {
        guard let text, !text.isEmpty else { return now.addingTimeInterval(-ReadModel.reliabilityWindow) }
        if let days = Int(text), days >= 0, days <= 3650 { return now.addingTimeInterval(-Double(days) * 86400) }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        throw APIError.badRequest("since must be an RFC 3339 time or a number of days")
    }
}
