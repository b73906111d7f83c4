public import Fleet

/// One entry of `GET /targets`: a node and where its exporters are, so scripts can build a
/// Prometheus scrape config (paths are relative to the simulator's base URL).
public struct SimulatorTarget: Sendable, Hashable, Codable {
    public var node: String
    public var host: String
    public var tenant: String
    /// The pool a contributed node is in; `null` for dedicated nodes.
    public var pool: String?
    public var gpuClass: String
    public var gpuModel: String
    public var gpuCount: Int
    public var dcgmPath: String
    /// `null` when the node runs no vLLM.
    public var vllmPath: String?

    public init(_ node: NodeSpec) {
        self.node = node.name
        host = node.host
        tenant = node.holding.tenant
        pool = node.holding.pool
        gpuClass = node.gpuClass
        gpuModel = node.gpuModel
        gpuCount = node.gpuCount
        dcgmPath = "/nodes/\(node.name)/dcgm/metrics"
        vllmPath = node.servedModel == nil ? nil : "/nodes/\(node.name)/vllm/metrics"
    }

    // Encode `pool` and `vllmPath` as explicit nulls so every entry has the same keys.
    enum CodingKeys: String, CodingKey {
        case node, host, tenant, pool, gpuClass, gpuModel, gpuCount, dcgmPath, vllmPath
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(node, forKey: .node)
        try container.encode(host, forKey: .host)
        try container.encode(tenant, forKey: .tenant)
        try container.encode(pool, forKey: .pool)
        try container.encode(gpuClass, forKey: .gpuClass)
        try container.encode(gpuModel, forKey: .gpuModel)
        try container.encode(gpuCount, forKey: .gpuCount)
        try container.encode(dcgmPath, forKey: .dcgmPath)
        try container.encode(vllmPath, forKey: .vllmPath)
    }
}
