import Fleet
import Foundation
import Hummingbird
import Logging
import PrometheusClient
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
            return try await upstream(context) { try await overview(identity, context: context) }.jsonResponse()
        }
        group.get("summary") { _, context -> Response in
            let identity = try context.requireIdentity()
            return try await upstream(context) { try await summary(identity) }.jsonResponse()
        }
        group.get("nodes/:id") { _, context -> Response in
            let identity = try context.requireIdentity()
            let node = try await heldNode(try context.parameters.require("id"), identity)
            let reader = try healthReader()
            let reports = try await upstream(context) { try await reader.reports(tenant: node.tenant, nodes: [node.record], now: dependencies.now()) }
            guard let report = reports.value.first else { throw APIError.notFound("node") }
            var detail = NodeDetail(report, freshness: reports)
            detail.inference = await inference(node.record, tenant: node.tenant, context: context)
            return try detail.jsonResponse()
        }
        group.get("nodes/:id/trend") { request, context -> Response in
            let identity = try context.requireIdentity()
            let node = try await heldNode(try context.parameters.require("id"), identity)
            let query = request.uri.queryParameters
            let metricText = query.get("metric") ?? TrendSeries.Metric.utilisation.rawValue
            guard let metric = TrendSeries.Metric(rawValue: metricText) else {
                throw APIError.badRequest("metric must be one of \(TrendSeries.Metric.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let rangeText = query.get("range") ?? TrendSeries.Range.hour.rawValue
            guard let range = TrendSeries.Range(rawValue: rangeText) else {
                throw APIError.badRequest("range must be one of \(TrendSeries.Range.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let reader = dependencies.trendReader else {
                throw APIError.unavailable("no Prometheus is configured (--prometheus-url)")
            }
            let trend = try await upstream(context) {
                try await reader.trend(tenant: node.tenant, node: node.record.name, metric: metric, range: range, now: dependencies.now())
            }
            return try TrendResponse(node: node.record.name, metric: metric, range: range, trend: trend).jsonResponse()
        }
    }

    /// The node `id` when the caller's tenant holds it; otherwise 404, exactly like a missing node.
    func heldNode(_ id: String, _ identity: Identity) async throws -> (record: NodeRecord, tenant: String) {
        guard let tenant = identity.tenant, let node = try await dependencies.store.node(named: id), node.holding.tenant == tenant else {
            throw APIError.notFound("node")
        }
        return (node, tenant)
    }

    /// Runs `body`, answering 503 (logged, no upstream detail) when the metrics backend fails
    /// and no last known answer exists to serve as stale.
    func upstream<T>(_ context: AppRequestContext, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PrometheusClientError {
            context.logger.warning("reading telemetry failed", metadata: ["error": "\(error)"])
            throw APIError.unavailable("\(error.userMessage); try again shortly")
        }
    }

    /// The node's vLLM golden signals; `nil` when it serves no vLLM or they cannot be read (the
    /// hardware detail must not fail because the inference figures did).
    func inference(_ node: NodeRecord, tenant: String, context: AppRequestContext) async -> InferenceSignals? {
        guard node.vllmAddress != nil, let reader = dependencies.inferenceReader else { return nil }
        do {
            return try await reader.signals(tenant: tenant, node: node.name, now: dependencies.now()).value
        } catch {
            context.logger.warning("reading inference signals failed", metadata: ["node": "\(node.name)", "error": "\(error)"])
            return nil
        }
    }

    func healthReader() throws -> HealthReader {
        guard let reader = dependencies.healthReader else {
            throw APIError.unavailable("no Prometheus is configured (--prometheus-url)")
        }
        return reader
    }

    /// Who the caller is to the factory: role, held nodes and subscriptions.
    struct Standing {
        var tenant: String
        var role: Role
        var held: [NodeRecord]
        var subscriptions: [Subscription]
        var gpuClasses: [String]
    }

    func standing(_ tenant: String) async throws -> Standing {
        let allNodes = try await dependencies.store.nodes()
        let subscriptions = try await dependencies.store.subscriptions(tenant: tenant)
        let resolution = RoleResolver.resolve(tenant: tenant, nodes: allNodes, subscriptions: subscriptions)
        let held = allNodes.filter { $0.holding.tenant == tenant }
        let consumed = Set(subscriptions.map(\.pool))
        var classes = Set(held.map(\.gpuClass))
        for node in allNodes where node.holding.pool.map(consumed.contains) == true { classes.insert(node.gpuClass) }
        return Standing(tenant: tenant, role: resolution.role, held: held, subscriptions: subscriptions, gpuClasses: classes.sorted())
    }

    /// Usage per subscription (by pool), with one freshness for all of them.
    ///
    /// An upstream failure with nothing to fall back on does not fail the page: each entry keeps
    /// its quota limit with unknown (null) numbers, marked stale with the reason.
    func usage(_ tenant: String, _ subscriptions: [Subscription]) async -> (usage: [FactoryOverview.Usage], stale: Bool, asOf: Date?, reason: String?) {
        let now = dependencies.now()
        var usage: [FactoryOverview.Usage] = []
        var stale = false
        var asOf: Date?
        var reasons: [String] = []
        for subscription in subscriptions.sorted(by: { $0.pool < $1.pool }) {
            let empty = UsageReport(pool: subscription.pool, period: subscription.period, quotaLimit: subscription.tokenQuota)
            guard let reader = dependencies.usageReader else {
                usage.append(.init(empty, plan: subscription.plan))
                reasons.append("no Prometheus is configured, so usage is not metered")
                continue
            }
            do {
                let read = try await reader.usage(tenant: tenant, subscription: subscription, now: now)
                usage.append(.init(read.value, plan: subscription.plan))
                stale = stale || read.stale
                asOf = [asOf, read.asOf].compactMap { $0 }.min()
                if let reason = read.reason { reasons.append(reason) }
            } catch {
                let message = (error as? PrometheusClientError)?.userMessage ?? "the metrics backend failed"
                usage.append(.init(empty, plan: subscription.plan))
                stale = true
                reasons.append("\(message); usage is not available yet")
            }
        }
        let unique = reasons.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return (usage, stale, asOf, unique.isEmpty ? nil : unique.joined(separator: "; "))
    }

    func overview(_ identity: Identity, context: AppRequestContext) async throws -> FactoryOverview {
        guard let tenant = identity.tenant else {
            return FactoryOverview(
                tenant: nil, role: "none", gpuClasses: [], health: Severity.unknown.rawValue, stale: false,
                explainer: "Site operators manage the fleet through the admin API; log in with a tenant key to see a tenant's factory."
            )
        }
        let standing = try await standing(tenant)
        var body = FactoryOverview(
            tenant: tenant, role: standing.role.rawValue, gpuClasses: standing.gpuClasses,
            health: Severity.unknown.rawValue, stale: false
        )
        switch standing.role {
        case .owner, .provider:
            // The three upstream reads run side by side: when Prometheus hangs, each waits for its
            // own timeout, and one after another they kept the first viewer of an interval
            // waiting three timeouts (15 s on the demo) for an answer that is stale anyway.
            async let alerts = firingAlerts(identity, logger: context.logger)
            async let reliability = reliability(tenant, standing.held, logger: context.logger)
            do {
                let reports = try await healthReader().reports(tenant: tenant, nodes: standing.held, now: dependencies.now())
                body.nodes = reports.value.map(FactoryOverview.card)
                body.health = FleetHealth.pill(nodes: reports.value.map(\.health)).rawValue
                body.stale = reports.stale
                body.asOf = reports.asOf
                body.reason = reports.reason
            } catch let error as PrometheusClientError where error.isUpstreamOutage {
                // An outage with nothing earlier to show is still not a server error: the page
                // lists the inventory with unknown values and says why (never Healthy).
                body.nodes = standing.held.map(FactoryOverview.unknownCard)
                body.health = Severity.unknown.rawValue
                body.stale = true
                body.reason = "\(error.userMessage); no earlier values to show yet"
            }
            body.alerts = await alerts
            body.reliability = await reliability
            let pools = Set(standing.held.compactMap(\.holding.pool)).sorted()
            if !pools.isEmpty {
                body.poolNote = "Contributed to pool \(pools.joined(separator: ", ")): consumers draw on this hardware but never see it."
            }
        case .consumer:
            let subscription = standing.subscriptions.first
            let usage = await usage(tenant, standing.subscriptions)
            body.consumer = .init(
                pools: Set(standing.subscriptions.map(\.pool)).sorted(), plan: subscription?.plan,
                quota: subscription.map { .init(limit: $0.tokenQuota, period: $0.period) },
                usage: usage.usage
            )
            body.health = Severity.healthy.rawValue
            body.stale = usage.stale
            body.asOf = usage.asOf
            body.reason = usage.reason
        case .none:
            body.explainer = "This tenant has no GPU node and no pool subscription yet. Dedicated nodes and shared-pool plans are on the Usage & Pricing page."
            body.billingURL = "/billing"
        }
        return body
    }

    /// Firing alerts the caller may see. Prometheus' alert list is read once per refresh interval
    /// for everyone (it cannot be scoped upstream) and filtered per caller (`AlertRoutes.visible`).
    func firingAlerts(_ identity: Identity, logger: Logger) async -> [PrometheusAlert]? {
        guard let prometheus = dependencies.prometheus else { return nil }
        let key = CacheKey(backend: prometheus.identity, tenant: "*", query: "alerts", bucket: intervalBucket())
        do {
            // At an interval boundary only the first reader waits for Prometheus; the others get
            // the previous interval's list (as the node reports do).
            let all = try await dependencies.overviewCaches.alerts.latest(for: key) { try await prometheus.alerts() }.value
            return AlertRoutes.visible(all.filter { $0.state == "firing" }, to: identity, node: nil)
        } catch {
            logger.warning("reading alerts for the overview failed", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// The tenant's reliability rows, computed once per refresh interval.
    func reliability(_ tenant: String, _ held: [NodeRecord], logger: Logger) async -> [EventRoutes.NodeReliability]? {
        let names = held.map(\.name).sorted().joined(separator: ",")
        let key = CacheKey(backend: dependencies.prometheus?.identity ?? "-", tenant: tenant, query: "reliability:\(names)", bucket: intervalBucket())
        let routes = EventRoutes(dependencies: dependencies)
        let now = dependencies.now()
        do {
            return try await dependencies.overviewCaches.reliability.latest(for: key) {
                try await routes.reliabilityRows(held, now: now, logger: logger)
            }.value
        } catch {
            logger.warning("reading reliability for the overview failed", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
            return nil
        }
    }

    private func intervalBucket() -> Int64 {
        let seconds = max(1, Int64(dependencies.healthReader?.refresh.components.seconds ?? 15))
        return Int64(dependencies.now().timeIntervalSince1970) / seconds
    }

    func summary(_ identity: Identity) async throws -> FactorySummary {
        let refresh = Int(dependencies.healthReader?.refresh.components.seconds ?? 15)
        guard let tenant = identity.tenant else {
            return FactorySummary(tenant: nil, role: "none", health: Severity.unknown.rawValue, refreshSeconds: refresh, stale: false)
        }
        let standing = try await standing(tenant)
        var body = FactorySummary(
            tenant: tenant, role: standing.role.rawValue, health: Severity.unknown.rawValue, refreshSeconds: refresh, stale: false
        )
        switch standing.role {
        case .owner, .provider:
            let reports = try await healthReader().reports(tenant: tenant, nodes: standing.held, now: dependencies.now())
            body.nodes = reports.value.map { report in
                let card = FactoryOverview.card(report)
                return .init(id: card.id, health: card.health, summary: card.summary, utilisationPct: card.utilisationPct, temperatureC: card.temperatureC)
            }
            body.health = FleetHealth.pill(nodes: reports.value.map(\.health)).rawValue
            body.stale = reports.stale
            body.asOf = reports.asOf
            body.reason = reports.reason
        case .consumer:
            let usage = await usage(tenant, standing.subscriptions)
            body.usage = usage.usage
            body.health = Severity.healthy.rawValue
            body.stale = usage.stale
            body.asOf = usage.asOf
            body.reason = usage.reason
        case .none:
            break
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
    /// vLLM golden signals when the node serves vLLM; `null` otherwise.
    var inference: InferenceSignals?
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
