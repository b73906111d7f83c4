import Hummingbird
import Factory

/// `GET /api/v1/nodes` and `GET /api/v1/nodes/{name}`: the caller's own hardware.
///
/// A node held by another tenant answers 404 exactly like a node that does not exist, so the
/// API never confirms another tenant's inventory. Consumers hold no node and see an empty list.
struct InventoryRoutes {
    let dependencies: ServerDependencies

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("nodes") { _, context -> Response in
            let caller = try context.requireCaller()
            return try await dependencies.readModel.nodes(caller).map(NodeView.init).jsonResponse()
        }
        group.get("nodes/:name") { _, context -> Response in
            let caller = try context.requireCaller()
            let name = try context.parameters.require("name")
            return try NodeView(try await dependencies.readModel.node(caller, named: name)).jsonResponse()
        }
    }
}
