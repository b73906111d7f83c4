import Foundation

/// Body of `GET /api/v1/factory/summary`: the small answer the page polls every 15 seconds.
///
/// Holders (owner, provider) get the pill and one line per node (status, utilisation, hottest
/// GPU); consumers get their usage numbers only, never a hardware identifier; `stale`/`asOf`/
/// `reason` say when the numbers are the last known ones.
public struct FactorySummary: Encodable, Sendable {
    public struct Node: Encodable, Sendable {
        var id: String
        var health: String
        var summary: String
        var utilisationPct: Double?
        var temperatureC: Double?
    }

    var tenant: String?
    var role: String
    var health: String
    /// Seconds the page should wait before polling again (the server's refresh interval).
    var refreshSeconds: Int
    var stale: Bool
    var asOf: Date?
    var reason: String?
    var nodes: [Node]?
    var usage: [FactoryOverview.Usage]?
}
