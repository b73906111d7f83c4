import Fleet
import Foundation
import Hummingbird
import Logging
import PromQL
import PrometheusClient
import Store
import Telemetry

/// `GET nodes/:id/events` and `GET reliability` (mounted under `/api/v1/factory`): the event history
/// and the 30-day reliability of the hardware the caller holds (docs/EVENTS.md).
///
/// Scoping is the node's holding (`InventoryRoutes.visible`): a node the caller does not hold
/// answers 404 exactly like an unknown one; operators see every node. A pool consumer holds no
/// node, so its reliability list is empty and carries no hardware identifier.
struct EventRoutes {
    let dependencies: ServerDependencies
    /// Backend for `exporterUpFraction`; `nil` uses `dependencies.prometheus` (tests inject a fake).
    var backend: (any MetricsBackend)? = nil

    /// The reliability window: 30 days.
    static let window: TimeInterval = 30 * 24 * 3600

    struct EventsResponse: Encodable {
        var node: String
        var since: Date
        var events: [GPUEvent]
    }

    struct ReliabilityResponse: Encodable {
        var windowDays: Int
        var asOf: Date
        var definition: String
        var nodes: [NodeReliability]
    }

    struct NodeReliability: Encodable, Equatable, Sendable {
        var node: String
        /// 1 − (time inside non-healthy events) / (time observed), 0…1; `nil` when nothing was observed.
        var availability: Double?
        /// `avg_over_time(up{job="dcgm"}[30d])` for the node, 0…1; `nil` without Prometheus or on error.
        var exporterUpFraction: Double?
        var observedSeconds: Double
        var unhealthySeconds: Double
        var xidEvents: Int
        var eccEvents: Int
        var incidents: Int
        var lastIncidentAt: Date?
        var secondsSinceLastIncident: Double?
    }

    static let definition = """
        availability = 1 − unhealthy / observed over the last 30 days (or since the node was registered). \
        observed runs from the later of (now − 30 d, registration) to now; unhealthy is the union of \
        [firstSeen, lastSeen] of the node's events with a severity other than healthy (instantaneous \
        events such as one XID add no time; states such as exporter down, thermal, row remap span the \
        polls that saw them). xidEvents and eccEvents sum the counts of xid and ecc-dbe events; \
        an incident is an event with a severity other than healthy. exporterUpFraction is \
        avg_over_time(up{job="dcgm"}[30d]) when Prometheus is configured.
        """

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("nodes/:id/events") { request, context -> Response in
            let identity = try context.requireIdentity()
            let id = try context.parameters.require("id")
            guard let record = try await dependencies.store.node(named: id), InventoryRoutes.visible(record, to: identity) else {
                throw APIError.notFound("node")
            }
            let now = dependencies.now()
            let since = try Self.since(request.uri.queryParameters.get("since"), now: now)
            let events = try await dependencies.store.events(nodes: [record.name], since: since)
            return try EventsResponse(node: record.name, since: since, events: events).jsonResponse()
        }
        group.get("reliability") { _, context -> Response in
            let identity = try context.requireIdentity()
            let now = dependencies.now()
            let nodes = try await dependencies.store.nodes().filter { InventoryRoutes.visible($0, to: identity) }
            let rows = try await reliabilityRows(nodes, now: now, logger: context.logger)
            return try ReliabilityResponse(windowDays: 30, asOf: now, definition: Self.definition, nodes: rows).jsonResponse()
        }
    }

    /// The 30-day reliability of `nodes` (already limited to what the caller may see), by name.
    func reliabilityRows(_ nodes: [NodeRecord], now: Date, logger: Logger) async throws -> [NodeReliability] {
        let start = now.addingTimeInterval(-Self.window)
        let events = try await dependencies.store.events(nodes: nodes.map(\.name), since: start)
        let upFractions = await exporterUp(nodes, now: now, logger: logger)
        let byNode = Dictionary(grouping: events, by: \.node)
        return nodes.sorted { $0.name < $1.name }.map { node in
            var row = Self.reliability(node: node, events: byNode[node.name] ?? [], now: now)
            row.exporterUpFraction = upFractions[node.name]
            return row
        }
    }

    /// `?since=` as RFC 3339 or a number of days back (`7`); default 30 days back. Bad input is a 400.
    static func since(_ text: String?, now: Date) throws -> Date {
        guard let text, !text.isEmpty else { return now.addingTimeInterval(-window) }
        if let days = Int(text), days >= 0, days <= 3650 { return now.addingTimeInterval(-Double(days) * 86400) }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        throw APIError.badRequest("since must be an RFC 3339 time or a number of days")
    }

    /// One node's reliability from its events (see `definition`). Pure, for tests.
    static func reliability(node: NodeRecord, events: [GPUEvent], now: Date) -> NodeReliability {
        let start = max(now.addingTimeInterval(-window), node.createdAt)
        let observed = max(0, now.timeIntervalSince(start))
        let incidents = events.filter { $0.severity != .healthy }
        let intervals = incidents
            .map { (max($0.firstSeen, start), min($0.lastSeen, now)) }
            .filter { $0.0 <= $0.1 }
            .sorted { $0.0 < $1.0 }
        var unhealthy: TimeInterval = 0
        var current: (Date, Date)?
        for interval in intervals {
            if let open = current, interval.0 <= open.1 {
                current = (open.0, max(open.1, interval.1))
            } else {
                if let open = current { unhealthy += open.1.timeIntervalSince(open.0) }
                current = interval
            }
        }
        if let open = current { unhealthy += open.1.timeIntervalSince(open.0) }
        let last = incidents.map(\.lastSeen).max()
        return NodeReliability(
            node: node.name,
            availability: observed > 0 ? min(1, max(0, 1 - unhealthy / observed)) : nil,
            exporterUpFraction: nil,
            observedSeconds: observed,
            unhealthySeconds: unhealthy,
            xidEvents: events.filter { $0.kind == .xid }.reduce(0) { $0 + $1.count },
            eccEvents: events.filter { $0.kind == .eccDBE }.reduce(0) { $0 + $1.count },
            incidents: incidents.count,
            lastIncidentAt: last,
            secondsSinceLastIncident: last.map { max(0, now.timeIntervalSince($0)) })
    }

    /// `avg_over_time(up{job="dcgm"}[30d])` per node, one scoped query per holding tenant.
    /// Failures are logged and leave the value out: reliability never fails on an upstream outage.
    private func exporterUp(_ nodes: [NodeRecord], now: Date, logger: Logger) async -> [String: Double] {
        guard let backend = backend ?? dependencies.prometheus else { return [:] }
        var result: [String: Double] = [:]
        for (tenant, held) in Dictionary(grouping: nodes, by: \.holding.tenant) {
            let names = Set(held.map(\.name))
            do {
                let query = try TenantScope(label: "tenant", value: tenant).rewrite(#"avg_over_time(up{job="dcgm"}[30d])"#)
                guard case .vector(let samples) = try await backend.instantQuery(query, at: now) else { continue }
                for sample in samples {
                    if let node = sample.labels["node"], names.contains(node) { result[node] = sample.value }
                }
            } catch {
                logger.warning("reading exporter availability failed", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
            }
        }
        return result
    }
}
