public import Foundation

/// Everything the health checks may look at for one node, as of `sampleTime`.
///
/// Telemetry builds it from Prometheus answers (see docs/HEALTH.md, "Input"); tests build it by
/// hand. It is a plain value: no check reads a clock, so "now" is `sampleTime`, and every window
/// (thermal sustain, XID, ECC, staleness) is measured back from it.
public struct NodeSnapshot: Sendable, Hashable {
    /// Node name (`NodeSpec.name`).
    public var node: String
    /// Id of the node's `GPUClass`, for per-class limits; a GPU's own `gpuClass` wins.
    public var gpuClass: String?
    /// The evaluation time: "now" for every check.
    public var sampleTime: Date
    /// The exporter's scrape target health (`up`): `true` up, `false` down, `nil` when Prometheus
    /// has no target for the node (never scraped, or dropped from discovery). Only `true` is healthy.
    public var exporterUp: Bool?
    /// Time of the exporter's last successful scrape (newest sample of any of its series).
    public var lastScrape: Date?
    /// GPUs the inventory says the node has (`NodeSpec.gpuCount`); indices `0..<count` are expected.
    /// `nil` when the inventory does not say, in which case only reported GPUs are judged.
    public var expectedGPUCount: Int?
    /// GPUs reported now, plus absent ones the history still knows (see `GPUSnapshot.isAbsent`).
    public var gpus: [GPUSnapshot]

    public init(
        node: String, gpuClass: String? = nil, sampleTime: Date, exporterUp: Bool?, lastScrape: Date? = nil,
        expectedGPUCount: Int? = nil, gpus: [GPUSnapshot]
    ) {
        self.node = node
        self.gpuClass = gpuClass
        self.sampleTime = sampleTime
        self.exporterUp = exporterUp
        self.lastScrape = lastScrape
        self.expectedGPUCount = expectedGPUCount
        self.gpus = gpus
    }

    /// GPUs the exporter reports now, by index.
    public var presentGPUs: [GPUSnapshot] { gpus.filter { !$0.isAbsent }.sorted { $0.index < $1.index } }

    /// Indices the node should have: `0..<expectedGPUCount` plus any reported index, sorted.
    public var expectedIndices: [GPUIndex] {
        var indices = Set(gpus.map(\.index))
        if let expectedGPUCount, expectedGPUCount > 0 { indices.formUnion(0..<expectedGPUCount) }
        return indices.sorted()
    }

    /// The GPU with this index, if the snapshot has it.
    public func gpu(_ index: GPUIndex) -> GPUSnapshot? { gpus.first { $0.index == index } }

    /// The class id that applies to a GPU: its own, else the node's.
    public func classID(of gpu: GPUSnapshot) -> String? { gpu.gpuClass ?? gpuClass }
}
