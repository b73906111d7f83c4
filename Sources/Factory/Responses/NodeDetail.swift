import Fleet
import Foundation
import Telemetry

/// Body of `GET /api/v1/factory/nodes/{id}`.
public struct NodeDetail: Encodable, Sendable {
    public struct GPU: Encodable, Sendable {
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
    /// vLLM golden signals when the node serves vLLM; left out of the JSON otherwise.
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
