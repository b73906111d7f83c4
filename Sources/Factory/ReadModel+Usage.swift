import Fleet
import Foundation
import PrometheusClient
import Store
import Telemetry

extension ReadModel {
    /// Usage per subscription (by pool), with one freshness for all of them.
    ///
    /// An upstream failure with nothing to fall back on does not fail the page: each entry keeps
    /// its quota limit with unknown (null) numbers, marked stale with the reason.
    func usage(_ standing: Standing) async -> (usage: [FactoryOverview.Usage], stale: Bool, asOf: Date?, reason: String?) {
        let time = now()
        var usage: [FactoryOverview.Usage] = []
        var stale = false
        var asOf: Date?
        var reasons: [String] = []
        for subscription in standing.subscriptions.sorted(by: { $0.pool < $1.pool }) {
            // Tokens, requests and the quota come from the gateway's ledger, exactly what the
            // quota check and billing count; Prometheus adds latency and the pool's utilisation.
            let ledger = await ledgerTotals(standing.tenant.name, subscription, at: time)
            if ledger == nil { reasons.append("the usage ledger could not be read") }
            let empty = UsageReport(pool: subscription.pool, period: subscription.period, quotaLimit: subscription.tokenQuota)
            guard let reader = readers.usage else {
                usage.append(.init(empty, plan: subscription.plan).withLedger(ledger, period: BillingPeriod(subscription.period, containing: time)))
                continue
            }
            do {
                let pool = try standing.tenant.poolAggregate(for: subscription, inventory: standing.inventory)
                let read = try await reader.usage(scope: try standing.tenant.scope(), pool: pool, subscription: subscription, now: time)
                usage.append(.init(read.value, plan: subscription.plan).withLedger(ledger, period: BillingPeriod(subscription.period, containing: time)))
                stale = stale || read.stale
                asOf = [asOf, read.asOf].compactMap { $0 }.min()
                if let reason = read.reason { reasons.append(reason) }
            } catch {
                let message = (error as? PrometheusClientError)?.userMessage ?? "the metrics backend failed"
                usage.append(.init(empty, plan: subscription.plan).withLedger(ledger, period: BillingPeriod(subscription.period, containing: time)))
                stale = true
                reasons.append("\(message); latency and pool utilisation are not available yet")
            }
        }
        let unique = reasons.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return (usage, stale, asOf, unique.isEmpty ? nil : unique.joined(separator: "; "))
    }

    /// The tenant's ledger sums for `subscription`'s pool this billing period; `nil` when the
    /// store fails (the numbers are then unknown, never 0).
    func ledgerTotals(_ tenant: String, _ subscription: Subscription, at time: Date) async -> UsageTotals? {
        let period = BillingPeriod(subscription.period, containing: time)
        return try? await store.usageTotals(tenant: tenant, pool: subscription.pool, since: period.start)
    }

    /// What each pool the provider contributes to is drawn this month, summed over every
    /// consumer of it: no consumer is named, and a pool with one consumer shows only totals.
    func poolDraw(_ standing: Standing) async -> [FactoryOverview.PoolDraw] {
        let pools = Set(standing.held.compactMap(\.holding.pool)).sorted()
        guard !pools.isEmpty, let subscriptions = try? await store.subscriptions(tenant: nil) else { return [] }
        let period = BillingPeriod("month", containing: now())
        var draws: [FactoryOverview.PoolDraw] = []
        for pool in pools {
            guard let totals = try? await store.usageTotals(tenant: nil, pool: pool, since: period.start) else { continue }
            let quota = subscriptions.filter { $0.pool == pool && $0.period == "month" }.reduce(0) { $0 + $1.tokenQuota }
            draws.append(FactoryOverview.PoolDraw(
                pool: pool, periodStart: period.start, tokens: totals.tokens, requests: totals.requests,
                subscribedTokens: quota, drawnPct: quota > 0 ? (Double(totals.tokens) / Double(quota) * 1000).rounded() / 10 : nil))
        }
        return draws
    }
}
