/// One GPU server as declared in a fleet: where it is, what it has, who holds it.
///
/// `name` is used in URLs (`/nodes/<name>/dcgm/metrics`) and as a Prometheus label value, so it is
/// restricted to `[a-z0-9][a-z0-9-]*` (see `isValidName(_:)`); fleet loaders reject anything else.
public struct NodeSpec: Sendable, Hashable, Codable {
    /// Unique node name, `[a-z0-9][a-z0-9-]*`.
    public var name: String
    /// Host name the exporter reports in its `Hostname` label.
    public var host: String
    /// GPU model as dcgm-exporter reports it (`modelName`).
    public var gpuModel: String
    /// Number of GPUs in the node.
    public var gpuCount: Int
    /// Framebuffer size of one GPU, in MiB.
    public var gpuMemoryMiB: Int
    /// Id of the node's `GPUClass` (e.g. `ada-16`).
    public var gpuClass: String
    /// Who holds the node.
    public var holding: Holding
    /// Model served by vLLM on this node, or `nil` when the node runs no vLLM.
    public var servedModel: String?
    /// Names of simulator scenarios attached to this node (ignored outside the simulator).
    public var scenarios: [String]

    public init(
        name: String, host: String, gpuModel: String, gpuCount: Int, gpuMemoryMiB: Int,
        gpuClass: String, holding: Holding, servedModel: String? = nil, scenarios: [String] = []
    ) {
        self.name = name
        self.host = host
        self.gpuModel = gpuModel
        self.gpuCount = gpuCount
        self.gpuMemoryMiB = gpuMemoryMiB
        self.gpuClass = gpuClass
        self.holding = holding
        self.servedModel = servedModel
        self.scenarios = scenarios
    }

    /// Builds a node of a known class, taking model name and memory from the class.
    public init(
        name: String, host: String? = nil, gpuClass: GPUClass, gpuCount: Int, holding: Holding,
        servedModel: String? = nil, scenarios: [String] = []
    ) {
        self.init(
            name: name, host: host ?? name, gpuModel: gpuClass.modelName, gpuCount: gpuCount,
            gpuMemoryMiB: gpuClass.memoryMiB, gpuClass: gpuClass.id, holding: holding,
            servedModel: servedModel, scenarios: scenarios)
    }

    /// `true` when `name` is safe as a URL path segment and a label value: `[a-z0-9][a-z0-9-]*`,
    /// at most 63 characters (a DNS label, so it also works as a host name).
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63 else { return false }
        func isLowerAlnum(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        guard isLowerAlnum(first) else { return false }
        return name.utf8.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }
}
