public import Foundation

/// A registered GPU node as the inventory stores it: where to scrape it, what it holds, who holds it.
///
/// This is the source of Prometheus service discovery, so `holding` decides the `tenant` label every
/// series from this node carries — the root of isolation between tenants.
public struct NodeRecord: Sendable, Hashable, Codable {
    /// Stable id, validated like tenant names; the Prometheus `node` label.
    public var name: String
    /// Host name or address of the machine, for people (the exporter addresses are what is scraped).
    public var host: String
    /// dcgm-exporter `host:port`.
    public var dcgmAddress: String
    /// dcgm-exporter metrics path, usually `/metrics`.
    public var dcgmPath: String
    /// vLLM `host:port`, when the node serves a model.
    public var vllmAddress: String?
    /// vLLM metrics path, present exactly when `vllmAddress` is.
    public var vllmPath: String?
    /// Model name as dcgm-exporter reports it, e.g. `NVIDIA H100 80GB HBM3`.
    public var gpuModel: String
    /// Number of GPUs, > 0.
    public var gpuCount: Int
    /// Framebuffer per GPU in MiB, > 0.
    public var gpuMemoryMiB: Int
    /// A `GPUClass` id (`GPUClass.named(_:)` must know it).
    public var gpuClass: String
    /// GPU UUIDs once the exporter has reported them; empty until then.
    public var gpuUUIDs: [String]
    public var holding: Holding
    public var createdAt: Date
    /// The enrolled agent reporting for this node; `nil` for a node registered by hand.
    public var agent: NodeAgent?

    public init(
        name: String, host: String, dcgmAddress: String, dcgmPath: String = "/metrics",
        vllmAddress: String? = nil, vllmPath: String? = nil, gpuModel: String, gpuCount: Int,
        gpuMemoryMiB: Int, gpuClass: String, gpuUUIDs: [String] = [], holding: Holding,
        createdAt: Date = Date(timeIntervalSince1970: 0), agent: NodeAgent? = nil
    ) {
        self.name = name
        self.host = host
        self.dcgmAddress = dcgmAddress
        self.dcgmPath = dcgmPath
        self.vllmAddress = vllmAddress
        self.vllmPath = vllmPath
        self.gpuModel = gpuModel
        self.gpuCount = gpuCount
        self.gpuMemoryMiB = gpuMemoryMiB
        self.gpuClass = gpuClass
        self.gpuUUIDs = gpuUUIDs
        self.holding = holding
        self.createdAt = createdAt
        self.agent = agent
    }
}
