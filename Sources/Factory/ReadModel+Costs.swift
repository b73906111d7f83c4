import Fleet
import Foundation
import PromQL
import PrometheusClient
import Store
import Telemetry

/// The windows the cost panel offers, each read at a step that keeps ≤ 720 points a series.
public enum CostRange: String, Sendable, CaseIterable {
    case day = "24h", week = "7d", month = "30d"

    var seconds: Double {
        switch self {
        case .day: 86_400
        case .week: 604_800
        case .month: 2_592_000
        }
    }

    var step: Double {
        switch self {
        case .day: 120
        case .week: 840
        case .month: 3600
        }
    }
}

/// How the cost figures are grouped.
public enum CostGrouping: String, Sendable, CaseIterable {
    case node, pool, tenant
}

extension ReadModel {
    /// `GET /api/v1/factory/costs`: the caller's tenant's GPU economics (docs/ECONOMICS.md).
    ///
    /// Holders get their nodes' figures over `range`, grouped; providers also what their pools
    /// were drawn this month at plan prices (no consumer named); consumers their spend this
    /// period at their plan's price. Every telemetry read goes through the tenant's scope narrowed
    /// to one node, like the trends. Tenants with nothing get 404. Site operators get the whole
    /// fleet (`fleetCosts`).
    public func costs(_ caller: Caller, range: CostRange, group: CostGrouping) async throws -> CostsResponse {
        if let op = caller.operator { return try await fleetCosts(op, range: range, group: group) }
        guard let tenant = caller.tenant else { throw FactoryError.notFound("costs") }
        let standing = try await standing(tenant)
        let time = now()
        switch standing.role {
        case .consumer:
            return CostsResponse(tenant: tenant.name, role: standing.role.rawValue, prices: .init(prices), spend: await spend(standing, at: time))
        case .owner, .provider:
            break
        case .none:
            throw FactoryError.notFound("costs")
        }
        let window = CostWindow(range, at: time)
        let held = standing.held.sorted(by: { $0.name < $1.name })
        let scope = Result<TenantScope, any Error> { try tenant.scope() }
        let read = await nodeFigures(held.map { (node: $0, scope: scope) }, window: window, range: range)
        var body = CostsResponse(
            tenant: tenant.name, role: standing.role.rawValue, prices: .init(prices), range: range.rawValue, group: group.rawValue,
            from: window.start, to: window.end, hours: range.seconds / 3600, groups: Self.grouped(read.figures, by: group),
            total: CostFigures.sum("total", read.figures.map(\.figures)), stale: read.stale, reason: read.reason)
        if standing.role == .provider {
            body.revenue = await revenue(pools: Set(standing.held.compactMap(\.holding.pool)).sorted(), at: time)
        }
        return body
    }

    /// The operator's economics: every node of the fleet, each read in the scope of the tenant
    /// that holds it (as that tenant's own figures are), grouped by node, pool or holding tenant,
    /// and every pool's draw at plan prices (aggregate per pool, as a provider sees its own).
    func fleetCosts(_ op: Operator, range: CostRange, group: CostGrouping) async throws -> CostsResponse {
        let time = now()
        let window = CostWindow(range, at: time)
        let inventory = try await store.nodes().sorted { $0.name < $1.name }
        let read = await nodeFigures(
            inventory.map { node in (node: node, scope: Result<TenantScope, any Error> { try op.tenantScope(node.holding.tenant) }) },
            window: window, range: range)
        var body = CostsResponse(
            tenant: nil, role: Self.operatorRole, prices: .init(prices), range: range.rawValue, group: group.rawValue,
            from: window.start, to: window.end, hours: range.seconds / 3600, groups: Self.grouped(read.figures, by: group),
            total: CostFigures.sum("total", read.figures.map(\.figures)), stale: read.stale, reason: read.reason)
        body.revenue = await revenue(pools: try await store.pools().map(\.name).sorted(), at: time)
        return body
    }

    /// The window of a cost read: whole steps, ending at the last one completed.
    struct CostWindow {
        var start: Date
        var end: Date

        init(_ range: CostRange, at time: Date) {
            end = Date(timeIntervalSince1970: (time.timeIntervalSince1970 / range.step).rounded(.down) * range.step)
            start = end.addingTimeInterval(-range.seconds)
        }
    }

    /// Each node's figures over the window, read through the scope given with it, and why any
    /// are unknown (a scope that could not be made leaves that node's readings unknown).
    func nodeFigures(_ nodes: [(node: NodeRecord, scope: Result<TenantScope, any Error>)], window: CostWindow, range: CostRange)
        async -> (figures: [(node: NodeRecord, figures: CostFigures)], stale: Bool, reason: String?)
    {
        var reasons: [String] = []
        var unsampled: [String] = []
        var figures: [(node: NodeRecord, figures: CostFigures)] = []
        for (node, scope) in nodes {
            let readings = await nodeReadings(scope, node, start: window.start, end: window.end, step: range.step)
            if let reason = readings.reason, !reasons.contains(reason) { reasons.append(reason) }
            if readings.reason == nil, readings.utilisation.isEmpty { unsampled.append(node.name) }
            figures.append((node, CostFigures.node(
                node.name, gpuClass: node.gpuClass, gpus: node.gpuCount, hours: range.seconds / 3600,
                utilisation: readings.utilisation, energy: readings.energy, tokens: readings.tokens, step: range.step, prices: prices)))
        }
        if !unsampled.isEmpty {
            // Not an outage: the range reaches before the metrics backend has samples (a new
            // node, a fresh Prometheus, a step longer than its history).
            let names = unsampled.count > 8
                ? "\(unsampled.prefix(8).joined(separator: ", ")) and \(unsampled.count - 8) more" : unsampled.joined(separator: ", ")
            reasons.append("no utilisation samples in this range yet for \(names); try a shorter range")
        }
        return (figures, reasons.count > (unsampled.isEmpty ? 0 : 1), reasons.isEmpty ? nil : reasons.joined(separator: "; "))
    }

    /// Node figures summed into the requested groups: by node, by pool ("dedicated" for the
    /// nodes in none) or by the tenant that holds them.
    static func grouped(_ figures: [(node: NodeRecord, figures: CostFigures)], by group: CostGrouping) -> [CostFigures] {
        func sums(_ key: (NodeRecord) -> String) -> [CostFigures] {
            let groups = Dictionary(grouping: figures) { key($0.node) }
            return groups.keys.sorted().map { CostFigures.sum($0, groups[$0]!.map(\.figures)) }
        }
        switch group {
        case .node: return figures.map(\.figures)
        case .pool: return sums { $0.holding.pool ?? "dedicated" }
        case .tenant: return sums(\.holding.tenant)
        }
    }

    /// One node's utilisation and energy per GPU and its vLLM tokens over the window.
    func nodeReadings(_ scope: Result<TenantScope, any Error>, _ node: NodeRecord, start: Date, end: Date, step: Double)
        async -> (utilisation: [[CostArithmetic.Sample]], energy: [[CostArithmetic.Sample]], tokens: Double?, reason: String?)
    {
        guard let metrics else { return ([], [], nil, "no Prometheus is configured: only GPU-hours and prices are known") }
        do {
            let scope = try scope.get().narrowed(toNode: node.name)
            func series(_ text: String) async throws -> [[CostArithmetic.Sample]] {
                try await metrics.queryRange(try scope.rewrite(text), start: start, end: end, step: .seconds(Int64(step)))
                    .map { $0.points.filter { $0.value.isFinite }.map { (time: $0.time, value: $0.value) } }
                    .filter { !$0.isEmpty }
            }
            async let utilisation = series("DCGM_FI_DEV_GPU_UTIL")
            async let energy = series("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION")
            async let prompt = series("vllm:prompt_tokens_total")
            async let generated = series("vllm:generation_tokens_total")
            let tokenSeries = try await prompt + generated
            let increases = tokenSeries.compactMap(CostArithmetic.counterIncrease)
            return (try await utilisation, try await energy, increases.isEmpty ? nil : increases.reduce(0, +), nil)
        } catch let error as PrometheusClientError {
            return ([], [], nil, "\(error.userMessage); utilisation, energy and tokens are unknown")
        } catch {
            return ([], [], nil, "the metrics backend failed; utilisation, energy and tokens are unknown")
        }
    }

    /// A consumer's spend per subscription this billing period, from the ledger at its plan's price.
    func spend(_ standing: Standing, at time: Date) async -> [CostsResponse.Spend] {
        var result: [CostsResponse.Spend] = []
        for subscription in standing.subscriptions.sorted(by: { $0.pool < $1.pool }) {
            let period = BillingPeriod(subscription.period, containing: time)
            let tokens = await ledgerTotals(standing.tenant.name, subscription, at: time)?.tokens
            let price = prices.planPer1MTokens[subscription.plan]
            result.append(.init(
                pool: subscription.pool, plan: subscription.plan, tokens: tokens, pricePer1MTokens: price,
                spend: tokens.flatMap { tokens in price.map { CostFigures.round(Double(tokens) / 1_000_000 * $0, 10_000) } },
                periodStart: period.start, periodEnd: period.end))
        }
        return result
    }

    /// Each contributed pool's draw this month, valued at every consumer's plan price, summed:
    /// one figure per pool, no consumer named.
    func revenue(pools: [String], at time: Date) async -> [CostsResponse.Revenue] {
        guard !pools.isEmpty, let subscriptions = try? await store.subscriptions(tenant: nil) else { return [] }
        let month = BillingPeriod("month", containing: time)
        var result: [CostsResponse.Revenue] = []
        for pool in pools {
            var tokens = 0
            var value: Double? = 0
            for subscription in subscriptions where subscription.pool == pool {
                let drawn = (try? await store.usageTotals(tenant: subscription.tenant, pool: pool, since: month.start))?.tokens ?? 0
                tokens += drawn
                if let price = prices.planPer1MTokens[subscription.plan] {
                    value = value.map { $0 + Double(drawn) / 1_000_000 * price }
                } else if drawn > 0 {
                    value = nil  // a plan without a price: the sum is unknown, not smaller
                }
            }
            result.append(.init(pool: pool, tokens: tokens, atPlanPrices: value.map { CostFigures.round($0, 10_000) }))
        }
        return result
    }
}
