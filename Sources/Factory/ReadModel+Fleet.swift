import Fleet
import Foundation
public import Logging
import PrometheusClient
import Store
import Telemetry

extension ReadModel {
    /// The fleet as one operator sees it: each holding tenant's node reports, read through that
    /// tenant's own scope (so its cards, caches and findings are exactly the tenant's), side by side.
    struct FleetPicture {
        var tenants: [Tenant]
        var inventory: [NodeRecord]
        var subscriptions: [Subscription]
        /// Reports per holding tenant; `nil` for a tenant whose read failed (`reasons` says why).
        var reports: [String: [NodeReport]]
        var reasons: [String: String]
        var stale: Bool
        var asOf: Date?

        /// The fleet pill: the worst card. A fleet part of which could not be read at all is
        /// never Healthy (it is Unknown unless something read is worse).
        var health: Severity {
            let pill = FleetHealth.pill(nodes: reports.values.flatMap { $0.map(\.health) })
            let unread = inventory.contains { reports[$0.holding.tenant] == nil }
            return unread && (pill == .healthy || inventory.isEmpty) ? .unknown : pill
        }

        /// Every card of the fleet: measured where the read succeeded, unknown where it did not.
        func cards() -> [String: [FactoryOverview.NodeCard]] {
            var cards: [String: [FactoryOverview.NodeCard]] = [:]
            for node in inventory {
                let tenant = node.holding.tenant
                if let report = reports[tenant]?.first(where: { $0.node.name == node.name }) {
                    cards[tenant, default: []].append(FactoryOverview.card(report))
                } else {
                    cards[tenant, default: []].append(FactoryOverview.unknownCard(node))
                }
            }
            return cards
        }
    }

    func fleetPicture(_ op: Operator, outageFallback: Bool) async throws -> FleetPicture {
        let inventory = try await store.nodes()
        let tenants = try await store.tenants()
        let subscriptions = try await store.subscriptions(tenant: nil)
        let reader = try healthReader()
        let byTenant = Dictionary(grouping: inventory, by: \.holding.tenant)
        let time = now()
        var picture = FleetPicture(
            tenants: tenants, inventory: inventory, subscriptions: subscriptions, reports: [:], reasons: [:], stale: false)
        var outage: PrometheusClientError?
        await withTaskGroup(of: (String, Result<Freshness<[NodeReport]>, any Error>).self) { group in
            for (tenant, held) in byTenant {
                group.addTask {
                    do {
                        return (tenant, .success(try await reader.reports(scope: try op.tenantScope(tenant), nodes: held, now: time)))
                    } catch {
                        return (tenant, .failure(error))
                    }
                }
            }
            for await (tenant, result) in group {
                switch result {
                case .success(let read):
                    picture.reports[tenant] = withAgents(read.value, inventory: byTenant[tenant] ?? [])
                    if read.stale {
                        picture.stale = true
                        picture.reasons[tenant] = read.reason ?? "telemetry is stale"
                        picture.asOf = min(picture.asOf ?? read.asOf, read.asOf)
                    }
                case .failure(let error):
                    if let error = error as? PrometheusClientError, error.isUpstreamOutage {
                        outage = error
                        picture.reasons[tenant] = "\(error.userMessage); no earlier values to show yet"
                    } else {
                        picture.reasons[tenant] = "its telemetry could not be read"
                    }
                    picture.stale = true
                }
            }
        }
        // The summary is the page's freshness signal: an outage with nothing at all to show is a
        // 503 there, as for a tenant, rather than a fleet of unknown cards that looks current.
        if let outage, !outageFallback, picture.reports.isEmpty { throw outage }
        return picture
    }

    /// The operator's overview: the fleet by tenant, every firing alert (the pipeline's own too)
    /// and the reliability of every node.
    func fleetOverview(_ op: Operator, _ caller: Caller, logger: Logger) async throws -> FactoryOverview {
        async let alerts = overviewAlerts(caller, logger: logger)
        async let reliability = fleetReliability(op, logger: logger)
        let picture = try await fleetPicture(op, outageFallback: true)
        let cards = picture.cards()
        let users = try await store.users(tenant: nil)
        let usersByTenant = Dictionary(grouping: users.compactMap(\.tenant), by: { $0 }).mapValues(\.count)
        let groups = picture.tenants.map { tenant in
            let held = picture.inventory.filter { $0.holding.tenant == tenant.name }
            let subscribed = picture.subscriptions.filter { $0.tenant == tenant.name }
            let role = RoleResolver.resolve(tenant: tenant.name, nodes: picture.inventory, subscriptions: subscribed).role
            let health: Severity = held.isEmpty ? .unknown : FleetHealth.pill(nodes: (picture.reports[tenant.name] ?? []).map(\.health))
            return FleetOverview.TenantGroup(
                tenant: tenant.name, displayName: tenant.displayName, role: role.rawValue,
                health: picture.reports[tenant.name] == nil && !held.isEmpty ? Severity.unknown.rawValue : health.rawValue,
                nodes: (cards[tenant.name] ?? []).sorted { $0.id < $1.id },
                subscribesTo: Set(subscribed.map(\.pool)).sorted(), users: usersByTenant[tenant.name] ?? 0,
                reason: picture.reasons[tenant.name])
        }
        let pools = try await store.pools().map { pool in
            FleetOverview.Pool(
                pool: pool.name, displayName: pool.displayName,
                nodes: picture.inventory.filter { $0.holding.pool == pool.name }.count,
                consumers: Set(picture.subscriptions.filter { $0.pool == pool.name }.map(\.tenant)).count)
        }
        var body = FactoryOverview(
            tenant: nil, role: Self.operatorRole, gpuClasses: Set(picture.inventory.map(\.gpuClass)).sorted(),
            health: picture.health.rawValue, stale: picture.stale, asOf: picture.asOf,
            reason: picture.reasons.isEmpty ? nil : Self.fleetReason(picture.reasons))
        body.nodes = groups.flatMap(\.nodes)
        body.fleet = FleetOverview(
            tenants: groups, pools: pools, nodeCount: picture.inventory.count,
            gpuCount: picture.inventory.reduce(0) { $0 + $1.gpuCount })
        body.alerts = await alerts
        body.reliability = await reliability
        return body
    }

    /// The operator's summary: the fleet pill and one line per node.
    func fleetSummary(_ op: Operator) async throws -> FactorySummary {
        let picture = try await fleetPicture(op, outageFallback: false)
        var body = FactorySummary(
            tenant: nil, role: Self.operatorRole, health: picture.health.rawValue, refreshSeconds: Int(readers.interval.seconds),
            stale: picture.stale, asOf: picture.asOf, reason: picture.reasons.isEmpty ? nil : Self.fleetReason(picture.reasons))
        body.nodes = picture.cards().values.flatMap { $0 }.sorted { $0.id < $1.id }.map { card in
            .init(id: card.id, health: card.health, summary: card.summary, utilisationPct: card.utilisationPct, temperatureC: card.temperatureC)
        }
        return body
    }

    /// The role the page gets for a site operator (not a tenant role: operators hold nothing).
    static let operatorRole = "operator"

    /// One sentence for the stale banner out of the per-tenant reasons.
    static func fleetReason(_ reasons: [String: String]) -> String {
        let tenants = reasons.keys.sorted()
        let first = reasons[tenants[0]] ?? "telemetry is stale"
        return tenants.count == 1 ? "Tenant \(tenants[0]): \(first)" : "\(tenants.count) tenants (\(tenants.prefix(3).joined(separator: ", "))): \(first)"
    }

    /// The fleet's reliability rows; `nil` (logged) when they cannot be read.
    func fleetReliability(_ op: Operator, logger: Logger) async -> [NodeReliability]? {
        do {
            return try await cachedReliability(.fleet(op), try await store.nodes(), logger: logger)
        } catch {
            logger.warning("reading the fleet's reliability failed", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
