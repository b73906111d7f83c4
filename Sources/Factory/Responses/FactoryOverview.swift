import Fleet
import Foundation
import PrometheusClient
import Store
import Telemetry

/// Body of `GET /api/v1/factory/overview`: what the header and the first screen need.
///
/// Consumers get usage only (no node, host or GPU identifier anywhere); tenants with no
/// relationship get an explainer. `stale`/`asOf`/`reason` say when the hardware part is the last
/// known answer because the metrics backend is in trouble.
public struct FactoryOverview: Encodable, Sendable {
    public struct NodeCard: Encodable, Sendable {
        var id: String
        var host: String
        var model: String
        var gpuClass: String
        var gpuCount: Int
        /// The pool the node is contributed to; absent for a dedicated node.
        var pool: String?
        var utilisationPct: Double?
        var temperatureC: Double?
        var vramPct: Double?
        var health: String
        var summary: String
        var idleVLLM: Bool
        var findings: [Finding]
        /// The enrolled agent's version and last heartbeat; absent for a node registered by hand.
        var agentVersion: String?
        var agentLastSeen: Date?
    }
    public struct Consumer: Encodable, Sendable {
        var pools: [String]
        var plan: String?
        var quota: Quota?
        /// One entry per subscription, by pool: tokens, requests and quota from the usage ledger,
        /// latency and pool utilisation from the metering contract (`aifactory_usage_*`).
        var usage: [Usage]
    }
    /// One pool's draw this month from the usage ledger, over all its consumers together.
    public struct PoolDraw: Encodable, Sendable {
        var pool: String
        var periodStart: Date
        var tokens: Int
        var requests: Int
        /// The monthly token quotas of every subscription to the pool, summed.
        var subscribedTokens: Int
        /// `tokens` as a share of `subscribedTokens`; `nil` when nothing is subscribed.
        var drawnPct: Double?
    }
    public struct Quota: Encodable, Sendable {
        var limit: Int
        var period: String
    }
    /// A consumer's usage of one subscription. No node, host or GPU identifier: the only
    /// hardware-derived number is `poolUtilisationPct`, an average over the whole pool.
    /// Unknown numbers are written as `null`, never omitted and never 0.
    public struct Usage: Encodable, Sendable {
        public struct UsedQuota: Encodable, Sendable {
            var used: Int?
            var limit: Int
            var period: String
            var periodStart: Date?
            var periodEnd: Date?

            enum CodingKeys: String, CodingKey { case used, limit, period, periodStart, periodEnd }

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(used, forKey: .used)
                try container.encode(limit, forKey: .limit)
                try container.encode(period, forKey: .period)
                try container.encodeIfPresent(periodStart, forKey: .periodStart)
                try container.encodeIfPresent(periodEnd, forKey: .periodEnd)
            }
        }
        var pool: String
        var plan: String
        var tokensIn: Int?
        var tokensOut: Int?
        var requests: Int?
        var averageLatencySeconds: Double?
        var p95LatencySeconds: Double?
        var latencyWindow: String
        var quota: UsedQuota
        var poolUtilisationPct: Double?

        /// The ledger's sums for the billing period in place of the metering series' (`nil`:
        /// the ledger could not be read, so the numbers are unknown).
        func withLedger(_ totals: UsageTotals?, period: BillingPeriod) -> Self {
            var usage = self
            usage.tokensIn = totals?.tokensIn
            usage.tokensOut = totals?.tokensOut
            usage.requests = totals?.requests
            usage.quota.used = totals?.tokens
            usage.quota.periodStart = period.start
            usage.quota.periodEnd = period.end
            return usage
        }

        init(_ report: UsageReport, plan: String) {
            pool = report.pool
            self.plan = plan
            tokensIn = report.tokensIn
            tokensOut = report.tokensOut
            requests = report.requests
            averageLatencySeconds = report.averageLatencySeconds
            p95LatencySeconds = report.p95LatencySeconds
            latencyWindow = report.latencyWindow
            quota = UsedQuota(used: report.quotaUsed, limit: report.quotaLimit, period: report.period)
            poolUtilisationPct = report.poolUtilisationPct
        }

        enum CodingKeys: String, CodingKey {
            case pool, plan, tokensIn, tokensOut, requests, averageLatencySeconds, p95LatencySeconds, latencyWindow, quota, poolUtilisationPct
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(pool, forKey: .pool)
            try container.encode(plan, forKey: .plan)
            try container.encode(tokensIn, forKey: .tokensIn)
            try container.encode(tokensOut, forKey: .tokensOut)
            try container.encode(requests, forKey: .requests)
            try container.encode(averageLatencySeconds, forKey: .averageLatencySeconds)
            try container.encode(p95LatencySeconds, forKey: .p95LatencySeconds)
            try container.encode(latencyWindow, forKey: .latencyWindow)
            try container.encode(quota, forKey: .quota)
            try container.encode(poolUtilisationPct, forKey: .poolUtilisationPct)
        }
    }

    var tenant: String?
    var role: String
    var gpuClasses: [String]
    var health: String
    var stale: Bool
    var asOf: Date?
    var reason: String?
    var nodes: [NodeCard]?
    /// Owner/provider: alerts firing on the tenant's hardware (critical first); absent when
    /// Prometheus' alerts could not be read.
    var alerts: [PrometheusAlert]?
    /// Owner/provider: the 30-day reliability per node (as `GET reliability`); absent on error.
    var reliability: [NodeReliability]?
    var poolNote: String?
    /// Provider: how much of each contributed pool consumers drew this month, in aggregate.
    var poolDraw: [PoolDraw]?
    var consumer: Consumer?
    /// Site operators (role `operator`): the whole fleet by tenant. `nodes`, `alerts` and
    /// `reliability` then cover every node.
    var fleet: FleetOverview?
    var explainer: String?
    var billingURL: String?

    /// A node card from the inventory alone, for when no telemetry could be read at all.
    static func unknownCard(_ node: NodeRecord) -> NodeCard {
        NodeCard(
            id: node.name, host: node.host, model: node.gpuModel, gpuClass: node.gpuClass, gpuCount: node.gpuCount,
            pool: node.holding.pool, utilisationPct: nil, temperatureC: nil, vramPct: nil, health: Severity.unknown.rawValue,
            summary: "no telemetry could be read", idleVLLM: false, findings: [],
            agentVersion: node.agent?.version, agentLastSeen: node.agent?.lastSeen
        )
    }

    static func card(_ report: NodeReport) -> NodeCard {
        let present = report.snapshot.presentGPUs
        func mean(_ values: [Double]) -> Double? {
            values.isEmpty ? nil : (values.reduce(0, +) / Double(values.count) * 10).rounded() / 10
        }
        return NodeCard(
            id: report.node.name,
            host: report.node.host,
            model: report.node.gpuModel,
            gpuClass: report.node.gpuClass,
            gpuCount: report.node.gpuCount,
            pool: report.node.holding.pool,
            utilisationPct: mean(present.compactMap(\.utilisationPercent)),
            temperatureC: present.compactMap { $0[.gpuTemp] }.max(),
            vramPct: mean(present.compactMap { $0.vramUsedFraction.map { $0 * 100 } }),
            health: report.health.status.rawValue,
            summary: report.health.summary,
            idleVLLM: report.health.gpus.contains { $0.idleVLLM },
            findings: report.health.findings,
            agentVersion: report.node.agent?.version,
            agentLastSeen: report.node.agent?.lastSeen
        )
    }
}
