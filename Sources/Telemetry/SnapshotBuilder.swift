public import Fleet
public import Foundation
public import PromQL
import PrometheusClient

/// Turns one tenant's DCGM series into `NodeSnapshot`s for the health model.
///
/// Every query is written without tenant labels and rewritten by `TenantScope`, so the builder
/// cannot read another tenant's series even by mistake. A field the exporter does not emit stays
/// absent from `GPUSnapshot.values` ("not collected"), never 0. A GPU the inventory expects but
/// Prometheus no longer reports becomes an empty (absent) GPU carrying its XID history, which is
/// how "fell off the bus" stays visible.
public struct SnapshotBuilder: Sendable {
    public let backend: any MetricsBackend
    public let scope: TenantScope
    /// Window for XID / ECC change detection (the health model's `xidWindow`).
    public var window: Duration
    /// History kept for the sustained-temperature check.
    public var temperatureHistory: Duration

    public init(backend: any MetricsBackend, scope: TenantScope, window: Duration = .seconds(3600), temperatureHistory: Duration = .seconds(330)) {
        self.backend = backend
        self.scope = scope
        self.window = window
        self.temperatureHistory = temperatureHistory
    }

    /// Snapshots of `nodes` (the caller's inventory) at `time`.
    public func snapshots(for nodes: [NodeRecord], at time: Date) async throws -> [NodeSnapshot] {
        let windowText = Self.promDuration(window)
        let historyText = Self.promDuration(temperatureHistory)
        let fieldNames = GPUField.allCases.flatMap(\.seriesNames).joined(separator: "|")

        async let upResult = vector(#"up{job="dcgm"}"#, at: time)
        async let fieldsResult = vector(#"{__name__=~"\#(fieldNames)", job="dcgm"}"#, at: time)
        async let seenResult = vector("timestamp(DCGM_FI_DEV_GPU_TEMP)", at: time)
        async let lastSeenResult = vector("max_over_time(timestamp(DCGM_FI_DEV_GPU_TEMP)[\(windowText):30s])", at: time)
        async let temperatureResult = matrix("DCGM_FI_DEV_GPU_TEMP[\(historyText)]", at: time)
        async let xidResult = matrix("DCGM_FI_DEV_XID_ERRORS[\(windowText)]", at: time)
        async let xidBaselineResult = vector("DCGM_FI_DEV_XID_ERRORS offset \(windowText)", at: time)
        async let xidCountResult = vector("max_over_time(DCGM_EXP_XID_ERRORS_COUNT[\(windowText)])", at: time)
        async let dbeResult = vector("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL offset \(windowText)", at: time)
        async let replayResult = vector("rate(DCGM_FI_DEV_PCIE_REPLAY_COUNTER[5m]) * 60", at: time)

        let up = try await upResult
        let fields = try await fieldsResult
        let seen = try await seenResult
        let lastSeen = try await lastSeenResult
        let temperatures = try await temperatureResult
        let xids = try await xidResult
        let xidBaselines = try await xidBaselineResult
        let xidCounts = try await xidCountResult
        let dbe = try await dbeResult
        let replays = try await replayResult

        var result: [NodeSnapshot] = []
        for node in nodes {
            var gpus: [GPUIndex: GPUSnapshot] = [:]
            func gpu(_ labels: [String: String]) -> GPUIndex? {
                guard labels["node"] == node.name, let text = labels["gpu"], let index = Int(text) else { return nil }
                if gpus[index] == nil { gpus[index] = GPUSnapshot(index: index, gpuClass: node.gpuClass) }
                return index
            }
            for sample in fields {
                guard let name = sample.labels["__name__"], let field = GPUField(seriesName: name), let index = gpu(sample.labels) else { continue }
                gpus[index]?.values[field] = sample.value
                gpus[index]?.uuid = sample.labels["UUID"] ?? sample.labels["uuid"]
                gpus[index]?.modelName = sample.labels["modelName"]
            }
            // GPUs with no current values but history: the inventory expects them; keep them absent.
            for sample in lastSeen where sample.labels["node"] == node.name {
                if let index = gpu(sample.labels) {
                    gpus[index]?.lastSeen = Date(timeIntervalSince1970: sample.value)
                }
            }
            for sample in seen {
                if let index = gpu(sample.labels), gpus[index]?.isAbsent == false {
                    gpus[index]?.lastSeen = Date(timeIntervalSince1970: sample.value)
                }
            }
            for series in temperatures {
                if let index = gpu(series.labels) { gpus[index]?.temperatureHistory = series.points.map(Self.timed) }
            }
            for series in xids {
                if let index = gpu(series.labels) { gpus[index]?.xidHistory = series.points.map(Self.timed) }
            }
            for sample in xidBaselines {
                if let index = gpu(sample.labels) { gpus[index]?.xidBaseline = sample.value }
            }
            for sample in xidCounts {
                guard let code = sample.labels["xid"].flatMap(Int.init), let index = gpu(sample.labels) else { continue }
                var counts = gpus[index]?.xidCounts ?? [:]
                counts[code] = max(counts[code] ?? 0, Int(sample.value))
                gpus[index]?.xidCounts = counts
            }
            for sample in dbe {
                if let index = gpu(sample.labels) { gpus[index]?.eccDBEAtWindowStart = sample.value }
            }
            for sample in replays {
                if let index = gpu(sample.labels) { gpus[index]?.pcieReplaysPerMinute = sample.value }
            }
            // Expected but never seen in the window: still an (absent) GPU, so presence reports it.
            for index in 0..<node.gpuCount where gpus[index] == nil {
                gpus[index] = GPUSnapshot(index: index, gpuClass: node.gpuClass)
            }
            let upSample = up.first { $0.labels["node"] == node.name }
            let lastScrape = gpus.values.compactMap { $0.isAbsent ? nil : $0.lastSeen }.max()
            result.append(NodeSnapshot(
                node: node.name,
                gpuClass: node.gpuClass,
                sampleTime: time,
                exporterUp: upSample.map { $0.value == 1 },
                lastScrape: lastScrape,
                expectedGPUCount: node.gpuCount,
                gpus: gpus.values.sorted { $0.index < $1.index }
            ))
        }
        return result
    }

    private func vector(_ text: String, at time: Date) async throws -> [VectorSample] {
        switch try await backend.instantQuery(try scope.rewrite(text), at: time) {
        case .vector(let samples): return samples
        case .scalar, .matrix, .string: return []
        }
    }

    private func matrix(_ text: String, at time: Date) async throws -> [RangeSeries] {
        switch try await backend.instantQuery(try scope.rewrite(text), at: time) {
        case .matrix(let series): return series
        case .vector, .scalar, .string: return []
        }
    }

    static func timed(_ point: SamplePoint) -> TimedValue {
        TimedValue(time: Date(timeIntervalSince1970: point.time), value: point.value)
    }

    /// Whole seconds as a Prometheus duration (`3600s`).
    static func promDuration(_ duration: Duration) -> String {
        "\(max(1, duration.components.seconds))s"
    }
}
