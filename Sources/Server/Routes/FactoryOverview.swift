import Fleet
import Foundation
import Telemetry

/// Body of `GET /api/v1/factory/overview`: what the header and the first screen need.
///
/// Consumers get usage only (no node, host or GPU identifier anywhere); tenants with no
/// relationship get an explainer. `stale`/`asOf`/`reason` say when the hardware part is the last
/// known answer because the metrics backend is in trouble.
struct FactoryOverview: Encodable, Sendable {
    struct NodeCard: Encodable, Sendable {
        var id: String
        var host: String
        var model: String
        var gpuClass: String
        var gpuCount: Int
        var utilisationPct: Double?
        var temperatureC: Double?
        var vramPct: Double?
        var health: String
        var summary: String
        var idleVLLM: Bool
        var findings: [Finding]
    }
    struct Consumer: Encodable, Sendable {
        var pools: [String]
        var plan: String?
        var quota: Quota?
        /// Usage comes from the metering contract (`aifactory_usage_*`), not yet connected.
        var usage: String?
    }
    struct Quota: Encodable, Sendable {
        var limit: Int
        var period: String
    }

    var tenant: String?
    var role: String
    var gpuClasses: [String]
    var health: String
    var stale: Bool
    var asOf: Date?
    var reason: String?
    var nodes: [NodeCard]?
    var poolNote: String?
    var consumer: Consumer?
    var explainer: String?
    var billingURL: String?

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
            utilisationPct: mean(present.compactMap(\.utilisationPercent)),
            temperatureC: present.compactMap { $0[.gpuTemp] }.max(),
            vramPct: mean(present.compactMap { $0.vramUsedFraction.map { $0 * 100 } }),
            health: report.health.status.rawValue,
            summary: report.health.summary,
            idleVLLM: report.health.gpus.contains { $0.idleVLLM },
            findings: report.health.findings
        )
    }
}
