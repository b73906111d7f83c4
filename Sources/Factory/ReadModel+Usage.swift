import Fleet
import Foundation
import PrometheusClient
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
            let empty = UsageReport(pool: subscription.pool, period: subscription.period, quotaLimit: subscription.tokenQuota)
            guard let reader = readers.usage else {
                usage.append(.init(empty, plan: subscription.plan))
                reasons.append("no Prometheus is configured, so usage is not metered")
                continue
            }
            do {
                let pool = try standing.tenant.poolAggregate(for: subscription, inventory: standing.inventory)
                let read = try await reader.usage(scope: try standing.tenant.scope(), pool: pool, subscription: subscription, now: time)
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
}
