import Fleet
import Foundation
public import Logging
import PrometheusClient
import Telemetry

extension ReadModel {
    /// What overview and summary share: the caller's standing and the part of its factory the
    /// role allows, with one freshness for all of it.
    struct Picture {
        enum Content {
            /// A tenant with no relationship yet.
            case nothing
            /// Owner or provider: the health of the held nodes (`nil`: an outage with nothing
            /// earlier to show).
            case hardware(reports: [NodeReport]?)
            /// Consumer: usage per subscription.
            case consumer([FactoryOverview.Usage])
        }
        var standing: Standing
        var content: Content
        var health: Severity
        var stale = false
        var asOf: Date?
        var reason: String?
    }

    /// The caller's picture. `outageFallback` lists the inventory with unknown values when the
    /// metrics backend is down and nothing earlier is known (the overview); without it that
    /// outage is thrown (the summary answers 503).
    func picture(_ standing: Standing, outageFallback: Bool) async throws -> Picture {
        let tenant = standing.tenant
        switch standing.role {
        case .owner, .provider:
            do {
                let reports = try await healthReader().reports(scope: try tenant.scope(), nodes: standing.held, now: now())
                let current = withAgents(reports.value, inventory: standing.held)
                return Picture(
                    standing: standing, content: .hardware(reports: current),
                    health: FleetHealth.pill(nodes: current.map(\.health)),
                    stale: reports.stale, asOf: reports.asOf, reason: reports.reason)
            } catch let error as PrometheusClientError where outageFallback && error.isUpstreamOutage {
                // An outage with nothing earlier to show is still not a server error: the page
                // lists the inventory with unknown values and says why (never Healthy).
                return Picture(
                    standing: standing, content: .hardware(reports: nil), health: .unknown,
                    stale: true, reason: "\(error.userMessage); no earlier values to show yet")
            }
        case .consumer:
            let usage = await usage(standing)
            return Picture(
                standing: standing, content: .consumer(usage.usage), health: .healthy,
                stale: usage.stale, asOf: usage.asOf, reason: usage.reason)
        case .none:
            return Picture(standing: standing, content: .nothing, health: .unknown)
        }
    }

    /// `GET /api/v1/factory/overview`: what the header and the first screen need.
    public func overview(_ caller: Caller, logger: Logger) async throws -> FactoryOverview {
        if let op = caller.operator { return try await fleetOverview(op, caller, logger: logger) }
        guard let tenant = caller.tenant else {
            return FactoryOverview(
                tenant: nil, role: Role.none.rawValue, gpuClasses: [], health: Severity.unknown.rawValue, stale: false,
                explainer: "This user belongs to no tenant.")
        }
        let standing = try await standing(tenant)
        // The three upstream reads of a holder run side by side: when Prometheus hangs, each
        // waits for its own timeout, and one after another they kept the first viewer of an
        // interval waiting three timeouts (15 s on the demo) for an answer that is stale anyway.
        let holder = standing.role == .owner || standing.role == .provider
        async let alerts = holder ? overviewAlerts(caller, logger: logger) : nil
        async let reliability = holder ? overviewReliability(tenant, standing.held, logger: logger) : nil
        let current = try await picture(standing, outageFallback: true)
        var body = FactoryOverview(
            tenant: tenant.name, role: standing.role.rawValue, gpuClasses: standing.gpuClasses,
            health: current.health.rawValue, stale: current.stale, asOf: current.asOf, reason: current.reason)
        switch current.content {
        case .hardware(let reports):
            let held = standing.held
            body.nodes = reports.map { $0.map(FactoryOverview.card) } ?? held.map(FactoryOverview.unknownCard)
            body.alerts = await alerts
            body.reliability = await reliability
            let pools = Set(held.compactMap(\.holding.pool)).sorted()
            if !pools.isEmpty {
                body.poolNote = "Contributed to pool \(pools.joined(separator: ", ")): consumers draw on this hardware but never see it."
                body.poolDraw = await poolDraw(standing)
            }
        case .consumer(let usage):
            let subscriptions = standing.subscriptions
            let subscription = subscriptions.first
            body.consumer = .init(
                pools: Set(subscriptions.map(\.pool)).sorted(), plan: subscription?.plan,
                quota: subscription.map { .init(limit: $0.tokenQuota, period: $0.period) },
                usage: usage)
        case .nothing:
            body.explainer = "This tenant has no GPU node and no pool subscription yet. Dedicated nodes and shared-pool plans are on the Usage & Pricing page."
            body.billingURL = "/billing"
        }
        return body
    }

    /// `GET /api/v1/factory/summary`: the small answer the page polls.
    public func summary(_ caller: Caller) async throws -> FactorySummary {
        let refresh = Int(readers.interval.seconds)
        if let op = caller.operator { return try await fleetSummary(op) }
        guard let tenant = caller.tenant else {
            return FactorySummary(tenant: nil, role: Role.none.rawValue, health: Severity.unknown.rawValue, refreshSeconds: refresh, stale: false)
        }
        let current = try await picture(try await standing(tenant), outageFallback: false)
        var body = FactorySummary(
            tenant: tenant.name, role: current.standing.role.rawValue, health: current.health.rawValue,
            refreshSeconds: refresh, stale: current.stale, asOf: current.asOf, reason: current.reason)
        switch current.content {
        case .hardware(let reports):
            body.nodes = (reports ?? []).map { report in
                let card = FactoryOverview.card(report)
                return .init(id: card.id, health: card.health, summary: card.summary, utilisationPct: card.utilisationPct, temperatureC: card.temperatureC)
            }
        case .consumer(let usage):
            body.usage = usage
        case .nothing:
            break
        }
        return body
    }

    /// `reports` with each node's current inventory record (its agent's last heartbeat) and the
    /// agent-silence verdict applied (`AgentSilenceCheck`). The telemetry reports are cached per
    /// interval; the heartbeat is read fresh, so a silent agent shows at once wherever health shows.
    func withAgents(_ reports: [NodeReport], inventory: [NodeRecord]) -> [NodeReport] {
        let time = now()
        let byName = Dictionary(inventory.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return reports.map { report in
            var report = report
            if let current = byName[report.node.name] { report.node = current }
            report.health = AgentSilenceCheck.apply(report.health, agent: report.node.agent, now: time)
            return report
        }
    }
}
