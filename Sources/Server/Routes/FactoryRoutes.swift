import Fleet
import Foundation
import Hummingbird
import Telemetry

/// `/api/v1/factory/*`: the tenant-scoped answers the page renders.
///
/// The node list comes from the inventory filtered to what the caller holds; telemetry for
/// those nodes is read through `HealthReader`, whose every query is rewritten by the tenant
/// enforcer. Another tenant's node answers 404 like a missing one.
struct FactoryRoutes {
    let dependencies: ServerDependencies

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("overview") { _, context -> Response in
            let identity = try context.requireIdentity()
            return try await overview(identity).jsonResponse()
        }
        group.get("nodes/:id") { _, context -> Response in
            let identity = try context.requireIdentity()
            let id = try context.parameters.require("id")
            guard let tenant = identity.tenant, let node = try await dependencies.store.node(named: id), node.holding.tenant == tenant else {
                throw APIError.notFound("node")
            }
            let reader = try healthReader()
            let reports = try await reader.reports(tenant: tenant, nodes: [node], now: dependencies.now())
            guard let report = reports.value.first else { throw APIError.notFound("node") }
            return try NodeDetail(report, freshness: reports).jsonResponse()
        }
    }

    func healthReader() throws -> HealthReader {
        guard let reader = dependencies.healthReader else {
            throw APIError.unavailable("no Prometheus is configured (--prometheus-url)")
        }
        return reader
    }

    func overview(_ identity: Identity) async throws -> FactoryOverview {
        guard let tenant = identity.tenant else {
            return FactoryOverview(
                tenant: nil, role: "none", gpuClasses: [], health: Severity.unknown.rawValue, stale: false,
                explainer: "Site operators manage the fleet through the admin API; log in with a tenant key to see a tenant's factory."
            )
        }
        let allNodes = try await dependencies.store.nodes()
        let subscriptions = try await dependencies.store.subscriptions(tenant: tenant)
        let resolution = RoleResolver.resolve(tenant: tenant, nodes: allNodes, subscriptions: subscriptions)
        let held = allNodes.filter { $0.holding.tenant == tenant }
        let consumed = Set(subscriptions.map(\.pool))
        var classes = Set(held.map(\.gpuClass))
        for node in allNodes where node.holding.pool.map(consumed.contains) == true { classes.insert(node.gpuClass) }

        var body = FactoryOverview(
            tenant: tenant, role: resolution.role.rawValue, gpuClasses: classes.sorted(),
            health: Severity.unknown.rawValue, stale: false
        )
        switch resolution.role {
        case .owner, .provider:
            let reports = try await healthReader().reports(tenant: tenant, nodes: held, now: dependencies.now())
            body.nodes = reports.value.map(FactoryOverview.card)
            body.health = FleetHealth.pill(nodes: reports.value.map(\.health)).rawValue
            body.stale = reports.stale
            body.asOf = reports.asOf
            body.reason = reports.reason
            let pools = Set(held.compactMap(\.holding.pool)).sorted()
            if !pools.isEmpty {
                body.poolNote = "Contributed to pool \(pools.joined(separator: ", ")): consumers draw on this hardware but never see it."
            }
        case .consumer:
            let subscription = subscriptions.first
            body.consumer = .init(
                pools: consumed.sorted(), plan: subscription?.plan,
                quota: subscription.map { .init(limit: $0.tokenQuota, period: $0.period) },
                usage: nil
            )
            body.health = Severity.healthy.rawValue
        case .none:
            body.explainer = "This tenant has no GPU node and no pool subscription yet. Dedicated nodes and shared-pool plans are on the Usage & Pricing page."
            body.billingURL = "/billing"
        }
        return body
    }
}

/// Body of `GET /api/v1/factory/nodes/{id}`.
struct NodeDetail: Encodable, Sendable {
    struct GPU: Encodable, Sendable {
        var index: Int
        var uuid: String?
        var health: String
        var temperatureC: Double?
        var utilisationPct: Double?
        var vramUsedGB: Double?
        var vramTotalGB: Double?
        var powerW: Double?
        var smActivePct: Double?
        var idleVLLM: Bool
        var notCollected: [String]
        var findings: [Finding]
    }
    var card: FactoryOverview.NodeCard
    var gpus: [GPU]
    var stale: Bool
    var asOf: Date
    var reason: String?

    init(_ report: NodeReport, freshness: Freshness<[NodeReport]>) {
        card = FactoryOverview.card(report)
        stale = freshness.stale
        asOf = freshness.asOf
        reason = freshness.reason
        gpus = report.snapshot.gpus.map { gpu in
            let health = report.health.gpus.first { $0.index == gpu.index }
            let mib = 1_048_576.0 / 1e9  // MiB → GB (decimal, as vendors label VRAM)
            let used = gpu[.fbUsed]
            let total = used.flatMap { used in gpu[.fbFree].map { used + $0 + (gpu[.fbReserved] ?? 0) } }
            return GPU(
                index: gpu.index, uuid: gpu.uuid, health: health?.status.rawValue ?? Severity.unknown.rawValue,
                temperatureC: gpu[.gpuTemp], utilisationPct: gpu.utilisationPercent,
                vramUsedGB: used.map { ($0 * mib * 10).rounded() / 10 }, vramTotalGB: total.map { ($0 * mib * 10).rounded() / 10 },
                powerW: gpu[.powerUsage], smActivePct: gpu[.smActive].map { $0 * 100 },
                idleVLLM: health?.idleVLLM ?? false,
                notCollected: health?.unavailableFields.map(\.rawValue) ?? [],
                findings: health?.findings ?? []
            )
        }
    }
}
