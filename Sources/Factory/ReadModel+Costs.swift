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
    /// to one node, like the trends. Tenants with nothing, and operators, get 404 (the fleet-wide
    /// view is not built yet).
    public func costs(_ caller: Caller, range: CostRange, group: CostGrouping) async throws -> CostsResponse {
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
        let end = Date(timeIntervalSince1970: (time.timeIntervalSince1970 / range.step).rounded(.down) * range.step)
        let start = end.addingTimeInterval(-range.seconds)
        var reasons: [String] = []
        var unsampled: [String] = []
        var figures: [(node: NodeRecord, figures: CostFigures)] = []
        for node in standing.held.sorted(by: { $0.name < $1.name }) {
            let readings = await nodeReadings(tenant, node, start: start, end: end, step: range.step)
            if let reason = readings.reason, !reasons.contains(reason) { reasons.append(reason) }
            if readings.reason == nil, readings.utilisation.isEmpty { unsampled.append(node.name) }
            figures.append((node, CostFigures.node(
                node.name, gpuClass: node.gpuClass, gpus: node.gpuCount, hours: range.seconds / 3600,
                utilisation: readings.utilisation, energy: readings.energy, tokens: readings.tokens, step: range.step, prices: prices)))
        }
        if !unsampled.isEmpty {
            // Not an outage: the range reaches before the metrics backend has samples (a new
            // node, a fresh Prometheus, a step longer than its history).
            reasons.append("no utilisation samples in this range yet for \(unsampled.joined(separator: ", ")); try a shorter range")
        }
        let groups: [CostFigures]
        switch group {
        case .node:
            groups = figures.map(\.figures)
        case .pool:
            let byPool = Dictionary(grouping: figures) { $0.node.holding.pool ?? "dedicated" }
            groups = byPool.keys.sorted().map { CostFigures.sum($0, byPool[$0]!.map(\.figures)) }
        case .tenant:
            groups = [CostFigures.sum(tenant.name, figures.map(\.figures))]
        }
        var body = CostsResponse(
            tenant: tenant.name, role: standing.role.rawValue, prices: .init(prices), range: range.rawValue, group: group.rawValue,
            from: start, to: end, hours: range.seconds / 3600, groups: groups, total: CostFigures.sum("total", figures.map(\.figures)),
            stale: reasons.count > (unsampled.isEmpty ? 0 : 1), reason: reasons.isEmpty ? nil : reasons.joined(separator: "; "))
        if standing.role == .provider { body.revenue = await revenue(standing, at: time) }
        return body
    }

    /// One node's utilisation and energy per GPU and its vLLM tokens over the window.
    func nodeReadings(_ tenant: AuthenticatedTenant, _ node: NodeRecord, start: Date, end: Date, step: Double)
        async -> (utilisation: [[CostArithmetic.Sample]], energy: [[CostArithmetic.Sample]], tokens: Double?, reason: String?)
    {
        guard let metrics else { return ([], [], nil, "no Prometheus is configured: only GPU-hours and prices are known") }
        do {
            let scope = try tenant.scope().narrowed(toNode: node.name)
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
    func revenue(_ standing: Standing, at time: Date) async -> [CostsResponse.Revenue] {
        let pools = Set(standing.held.compactMap(\.holding.pool)).sorted()
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
