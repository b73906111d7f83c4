import Fleet

/// A node as its holder (or an operator) sees it in the inventory.
struct NodeView: Encodable, Sendable {
    var name: String
    var host: String
    var gpuModel: String
    var gpuCount: Int
    var gpuMemoryMiB: Int
    var gpuClass: String
    var gpuUUIDs: [String]
    var holding: String
    var tenant: String
    var pool: String?

    init(_ node: NodeRecord) {
        name = node.name
        host = node.host
        gpuModel = node.gpuModel
        gpuCount = node.gpuCount
        gpuMemoryMiB = node.gpuMemoryMiB
        gpuClass = node.gpuClass
        gpuUUIDs = node.gpuUUIDs
        switch node.holding {
        case .dedicated(let tenant):
            holding = "dedicated"
            self.tenant = tenant
            pool = nil
        case .contributed(let provider, let pool):
            holding = "contributed"
            tenant = provider
            self.pool = pool
        }
    }
}
