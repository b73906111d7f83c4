import Fleet
import Foundation
import PromQL
import PrometheusClient
import Store
import Telemetry

/// The ranges the usage page offers, each cut into 60–96 buckets a bar chart can show.
public enum UsageRange: String, Sendable, CaseIterable {
    case hour = "1h", sixHours = "6h", day = "24h", week = "7d", month = "30d"

    var seconds: Int {
        switch self {
        case .hour: 3600
        case .sixHours: 21_600
        case .day: 86_400
        case .week: 604_800
        case .month: 2_592_000
        }
    }

    var bucketSeconds: Int {
        switch self {
        case .hour: 60
        case .sixHours: 300
        case .day: 900
        case .week: 7200
        case .month: 43_200
        }
    }
}

extension ReadModel {
    /// `GET /api/v1/factory/usage?range=`: the caller's tenant's usage from the ledger.
    ///
    /// Any tenant with a subscription may read it (a provider that also consumes, an owner that
    /// buys pool capacity); a tenant without one gets 404, as for anything it does not have.
    public func usageHistory(_ caller: Caller, range: UsageRange) async throws -> UsageHistory {
        guard let tenant = caller.tenant else { throw FactoryError.notFound("usage") }
        let standing = try await standing(tenant)
        guard !standing.subscriptions.isEmpty else { throw FactoryError.notFound("usage") }
        let time = now()
        let bucket = range.bucketSeconds
        // Buckets aligned to their width, so every viewer of a minute sees the same slices.
        let end = Date(timeIntervalSince1970: (time.timeIntervalSince1970 / Double(bucket)).rounded(.down) * Double(bucket) + Double(bucket))
        let start = end.addingTimeInterval(-Double(range.seconds))
        let ledger = try await store.usageBreakdown(tenant: tenant.name, pool: nil, from: start, to: end, bucketSeconds: bucket)
        let limited = await rateLimitedSeries(standing, start: start, end: end, bucket: bucket)

        var series: [UsageHistory.Point] = []
        var slice = start
        while slice < end {
            let sums = ledger.buckets[slice] ?? UsageBreakdown.Slice()
            let t = Int64(slice.timeIntervalSince1970)
            series.append(.init(t: t, counts: .init(sums, rateLimited: limited.counts.map { $0[t] ?? 0 })))
            slice = slice.addingTimeInterval(Double(bucket))
        }

        var subscriptions: [UsageHistory.Subscription] = []
        for subscription in standing.subscriptions.sorted(by: { $0.pool < $1.pool }) {
            let period = BillingPeriod(subscription.period, containing: time)
            subscriptions.append(.init(
                pool: subscription.pool, plan: subscription.plan, period: subscription.period,
                periodStart: period.start, periodEnd: period.end, quotaLimit: subscription.tokenQuota,
                quotaUsed: await ledgerTotals(tenant.name, subscription, at: time)?.tokens))
        }

        let keys = try await tenantKeys(tenant.name)
        let byKey = ledger.byKey.map { id, sums in
            UsageHistory.KeyUsage(
                keyId: id, prefix: keys[id]?.key.prefix, label: keys[id]?.key.label, user: keys[id]?.user,
                tokensIn: sums.tokensIn, tokensOut: sums.tokensOut, requests: sums.requests, errors: sums.errors)
        }.sorted { ($0.tokensIn + $0.tokensOut, $1.keyId) > ($1.tokensIn + $1.tokensOut, $0.keyId) }
        let byModel = ledger.byModel.map { model, sums in
            UsageHistory.ModelUsage(model: model, tokensIn: sums.tokensIn, tokensOut: sums.tokensOut, requests: sums.requests, errors: sums.errors)
        }.sorted { ($0.tokensIn + $0.tokensOut, $1.model) > ($1.tokensIn + $1.tokensOut, $0.model) }
        return UsageHistory(
            tenant: tenant.name, range: range.rawValue, bucketSeconds: bucket, from: start, to: end, subscriptions: subscriptions,
            totals: .init(ledger.total, rateLimited: limited.counts.map { $0.values.reduce(0, +) }),
            series: series, byModel: byModel, byKey: byKey, reason: limited.reason)
    }

    /// The tenant's keys by id, with their owners' names.
    func tenantKeys(_ tenant: String) async throws -> [String: (key: APIKeyRecord, user: String)] {
        var keys: [String: (key: APIKeyRecord, user: String)] = [:]
        for user in try await store.users(tenant: tenant) where user.tenant == tenant {
            for key in try await store.apiKeys(userID: user.id) { keys[key.id] = (key, user.name) }
        }
        return keys
    }

    /// Requests the gateway refused (429) per bucket start, from its metering series through the
    /// tenant's scope; `nil` counts with the reason when there is no backend or it fails.
    func rateLimitedSeries(_ standing: Standing, start: Date, end: Date, bucket: Int) async -> (counts: [Int64: Int]?, reason: String?) {
        guard let metrics else { return (nil, "no Prometheus is configured, so refused requests are not counted") }
        do {
            let query = try standing.tenant.scope().rewrite("sum(increase(aifactory_usage_rate_limited_total[\(bucket)s]))")
            // A point at T counts (T − bucket, T]: the bucket that starts at T − bucket.
            let series = try await metrics.queryRange(
                query, start: start.addingTimeInterval(Double(bucket)), end: end, step: .seconds(bucket))
            var counts: [Int64: Int] = [:]
            for point in series.first?.points ?? [] where point.value.isFinite && point.value > 0 {
                counts[Int64(point.time.rounded()) - Int64(bucket)] = Int(point.value.rounded())
            }
            return (counts, nil)
        } catch let error as PrometheusClientError {
            return (nil, "\(error.userMessage); refused requests are not counted")
        } catch {
            return (nil, "refused requests could not be read")
        }
    }
}

extension UsageHistory.Totals {
    init(_ sums: UsageBreakdown.Slice, rateLimited: Int?) {
        self.init(tokensIn: sums.tokensIn, tokensOut: sums.tokensOut, requests: sums.requests, errors: sums.errors,
                  cancelled: sums.cancelled, rateLimited: rateLimited)
    }
}
