public import Fleet
public import Foundation

/// Body of `GET /api/v1/factory/nodes/{id}/events`.
public struct EventsResponse: Encodable, Sendable {
    public var node: String
    public var since: Date
    public var events: [GPUEvent]
}

/// Body of `GET /api/v1/factory/reliability`.
public struct ReliabilityResponse: Encodable, Sendable {
    public var windowDays: Int
    public var asOf: Date
    public var definition: String
    public var nodes: [NodeReliability]
}

/// One node's 30-day reliability (docs/EVENTS.md).
public struct NodeReliability: Encodable, Equatable, Sendable {
    public var node: String
    /// 1 − (time inside non-healthy events) / (time observed), 0…1; `nil` when nothing was observed.
    public var availability: Double?
    /// `avg_over_time(up{job="dcgm"}[30d])` for the node, 0…1; `nil` without Prometheus or on error.
    public var exporterUpFraction: Double?
    public var observedSeconds: Double
    public var unhealthySeconds: Double
    public var xidEvents: Int
    public var eccEvents: Int
    public var incidents: Int
    public var lastIncidentAt: Date?
    public var secondsSinceLastIncident: Double?

    public static let definition = """
        availability = 1 − unhealthy / observed over the last 30 days (or since the node was registered). \
        observed runs from the later of (now − 30 d, registration) to now; unhealthy is the union of \
        [firstSeen, lastSeen] of the node's events with a severity other than healthy (instantaneous \
        events such as one XID add no time; states such as exporter down, thermal, row remap span the \
        polls that saw them). xidEvents and eccEvents sum the counts of xid and ecc-dbe events; \
        an incident is an event with a severity other than healthy. exporterUpFraction is \
        avg_over_time(up{job="dcgm"}[30d]) when Prometheus is configured.
        """

}

extension NodeReliability {
    /// One node's reliability from its events (see `definition`). Pure, for tests.
    public init(node: NodeRecord, events: [GPUEvent], now: Date) {
        let start = max(now.addingTimeInterval(-ReadModel.reliabilityWindow), node.createdAt)
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
        self.init(
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
}
