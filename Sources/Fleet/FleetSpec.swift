/// The whole fleet: every node, and derived views by tenant.
///
/// A pure value: loaders (the simulator's fleet file, a future inventory) build it, and the
/// scrape-config generator, the API server and the page read it. Node order is the declaration order.
public struct FleetSpec: Sendable, Hashable, Codable {
    /// Nodes in declaration order; names are unique.
    public var nodes: [NodeSpec]

    public init(nodes: [NodeSpec]) {
        self.nodes = nodes
    }

    /// Every tenant that holds at least one node (owner or provider), unique and sorted.
    public var tenants: [String] {
        Array(Set(nodes.map(\.holding.tenant))).sorted()
    }

    /// Every pool some node is contributed to, unique and sorted.
    public var pools: [String] {
        Array(Set(nodes.compactMap(\.holding.pool))).sorted()
    }

    /// The node called `name`, or `nil`.
    public func node(named name: String) -> NodeSpec? {
        nodes.first { $0.name == name }
    }

    /// Number of GPUs held by `tenant` (dedicated or contributed), 0 for an unknown tenant.
    public func gpuCount(tenant: String) -> Int {
        nodes.lazy.filter { $0.holding.tenant == tenant }.reduce(0) { $0 + $1.gpuCount }
    }

    /// Total number of GPUs in the fleet.
    public var gpuCount: Int {
        nodes.reduce(0) { $0 + $1.gpuCount }
    }

    /// A uniform fleet for load and benchmark runs: `nodes` H100 nodes of `gpusPerNode` GPUs each,
    /// named `node-0000`, `node-0001`, …, dedicated round-robin to tenants `tenant-a` … `tenant-d`,
    /// every node serving a model through vLLM. Negative counts are treated as 0.
    public static func synthetic(nodes: Int, gpusPerNode: Int) -> FleetSpec {
        let gpuClass = GPUClass.named("h100-80") ?? GPUClass.known[0]
        let tenants = ["tenant-a", "tenant-b", "tenant-c", "tenant-d"]
        let width = max(4, String(max(nodes - 1, 0)).count)
        let specs = (0..<max(nodes, 0)).map { index -> NodeSpec in
            let digits = String(index)
            let name = "node-" + String(repeating: "0", count: max(0, width - digits.count)) + digits
            return NodeSpec(
                name: name, host: name, gpuClass: gpuClass, gpuCount: max(gpusPerNode, 0),
                holding: .dedicated(tenant: tenants[index % tenants.count]),
                servedModel: "meta-llama/Llama-3.1-8B-Instruct")
        }
        return FleetSpec(nodes: specs)
    }
}
