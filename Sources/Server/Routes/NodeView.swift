import Fleet
import Foundation

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
    /// The enrolled agent's version; absent for a node registered by hand.
    var agentVersion: String?
    /// The agent's last heartbeat (or its enrolment); absent for a node registered by hand.
    var agentLastSeen: Date?

    init(_ node: NodeRecord) {
        name = node.name
        host = node.host
        gpuModel = node.gpuModel
        gpuCount = node.gpuCount
        gpuMemoryMiB = node.gpuMemoryMiB
        gpuClass = node.gpuClass
        gpuUUIDs = node.gpuUUIDs
        agentVersion = node.agent?.version
        agentLastSeen = node.agent?.lastSeen
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
