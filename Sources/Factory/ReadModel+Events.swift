import Fleet
public import Foundation
public import Logging
import PromQL
import PrometheusClient
import Store
import Telemetry

extension ReadModel {
    /// The reliability window: 30 days.
    public static let reliabilityWindow: TimeInterval = 30 * 24 * 3600

    /// The exporter-availability figure of the reliability rows.
    static let exporterUpQuery = #"avg_over_time(up{job="dcgm"}[30d])"#

    /// `GET /api/v1/factory/nodes/{id}/events`: the node's events since `since`.
    public func events(_ caller: Caller, node id: String, since: Date) async throws -> EventsResponse {
        let node = try await visibleNode(id, to: caller)
        let events = try await store.events(nodes: [node.name], since: since)
        return EventsResponse(node: node.name, since: since, events: events)
    }

    /// `GET /api/v1/factory/reliability`: the 30-day reliability of every node `caller` may see,
    /// computed once per refresh interval per set of nodes.
    public func reliability(_ caller: Caller, logger: Logger) async throws -> ReliabilityResponse {
        let time = now()
        let nodes = try await store.nodes().filter(caller.sees)
        let rows = try await cachedReliability(Viewer(caller), nodes, logger: logger)
        return ReliabilityResponse(windowDays: 30, asOf: time, definition: NodeReliability.definition, nodes: rows)
    }

    /// The overview's reliability rows; `nil` (logged) when they cannot be read.
    func overviewReliability(_ tenant: AuthenticatedTenant, _ held: [NodeRecord], logger: Logger) async -> [NodeReliability]? {
        do {
            return try await cachedReliability(.tenant(tenant), held, logger: logger)
        } catch {
            logger.warning("reading reliability for the overview failed", metadata: [ScopeLabel.tenant: "\(tenant.name)", "error": "\(error)"])
            return nil
        }
    }

    /// Whose telemetry a read may touch: one tenant's, or (operators) the fleet's.
    enum Viewer {
        case tenant(AuthenticatedTenant)
        case fleet(Operator)
        case nobody

        init(_ caller: Caller) {
            if let tenant = caller.tenant {
                self = .tenant(tenant)
            } else if let op = caller.operator {
                self = .fleet(op)
            } else {
                self = .nobody
            }
        }

        var cacheName: String {
            switch self {
            case .tenant(let tenant): tenant.name
            case .fleet: "*fleet"
            case .nobody: "-"
            }
        }
    }

    func cachedReliability(_ viewer: Viewer, _ nodes: [NodeRecord], logger: Logger) async throws -> [NodeReliability] {
        let names = nodes.map(\.name).sorted().joined(separator: ",")
        let key = CacheKey(backend: metrics?.identity ?? "-", tenant: viewer.cacheName, query: "reliability:\(names)", bucket: readers.interval.bucket(at: now()))
        let time = now()
        return try await readers.overview.reliability.latest(for: key) {
            try await reliabilityRows(viewer, nodes, now: time, logger: logger)
        }.value
    }

    /// The 30-day reliability of `nodes` (already limited to what `caller` may see), by name.
    func reliabilityRows(_ viewer: Viewer, _ nodes: [NodeRecord], now: Date, logger: Logger) async throws -> [NodeReliability] {
        let start = now.addingTimeInterval(-Self.reliabilityWindow)
        let events = try await store.events(nodes: nodes.map(\.name), since: start)
        let upFractions = await exporterUp(viewer, nodes, now: now, logger: logger)
        let byNode = Dictionary(grouping: events, by: \.node)
        return nodes.sorted { $0.name < $1.name }.map { node in
            var row = NodeReliability(node: node, events: byNode[node.name] ?? [], now: now)
            row.exporterUpFraction = upFractions[node.name]
            return row
        }
    }

    /// `avg_over_time(up{job="dcgm"}[30d])` per node: one tenant-scoped query for a tenant, one
    /// fleet query for an operator. Failures are logged and leave the value out: reliability
    /// never fails on an upstream outage.
    private func exporterUp(_ viewer: Viewer, _ nodes: [NodeRecord], now: Date, logger: Logger) async -> [String: Double] {
        guard let metrics, !nodes.isEmpty else { return [:] }
        let names = Set(nodes.map(\.name))
        do {
            let samples: [VectorSample]
            switch viewer {
            case .tenant(let tenant):
                samples = try await metrics.samples(try tenant.scope().rewrite(Self.exporterUpQuery), at: now)
            case .fleet(let op):
                samples = try await metrics.samples(try op.fleetScope().rewrite(Self.exporterUpQuery), at: now)
            case .nobody:
                return [:]
            }
            var result: [String: Double] = [:]
            for sample in samples {
                if let node = sample.labels[ScopeLabel.node], names.contains(node) { result[node] = sample.value }
            }
            return result
        } catch {
            logger.warning("reading exporter availability failed", metadata: ["error": "\(error)"])
            return [:]
        }
    }
}
