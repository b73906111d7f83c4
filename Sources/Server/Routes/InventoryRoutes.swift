import Fleet
import Hummingbird

/// `GET /api/v1/nodes` and `GET /api/v1/nodes/{name}`: the caller's own hardware.
///
/// A node held by another tenant answers 404 exactly like a node that does not exist, so the
/// API never confirms another tenant's inventory. Consumers hold no node and see an empty list.
struct InventoryRoutes {
    let dependencies: ServerDependencies

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("nodes") { _, context -> Response in
            let identity = try context.requireIdentity()
            let nodes = try await dependencies.store.nodes().filter { Self.visible($0, to: identity) }
            return try nodes.map(NodeView.init).jsonResponse()
        }
        group.get("nodes/:name") { _, context -> Response in
            let identity = try context.requireIdentity()
            let name = try context.parameters.require("name")
            guard let node = try await dependencies.store.node(named: name), Self.visible(node, to: identity) else {
                throw APIError.notFound("node")
            }
            return try NodeView(node).jsonResponse()
        }
    }

    /// Operators see every node; a tenant sees the nodes it owns or contributes.
    static func visible(_ node: NodeRecord, to identity: Identity) -> Bool {
        if identity.user.isOperator { return true }
        guard let tenant = identity.tenant else { return false }
        return node.holding.tenant == tenant
    }
}
