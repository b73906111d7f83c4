import Fleet
import Hummingbird

/// `GET /api/v1/me`: identity, role and every relationship, resolved on the server.
struct MeRoutes {
    let dependencies: ServerDependencies

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("me") { _, context -> Response in
            let identity = try context.requireIdentity()
            let nodes = try await dependencies.store.nodes()
            let subscriptions = try await dependencies.store.subscriptions(tenant: identity.tenant)
            let resolution: RoleResolution
            var classes: [String] = []
            if let tenant = identity.tenant {
                resolution = RoleResolver.resolve(tenant: tenant, nodes: nodes, subscriptions: subscriptions)
                // GPU classes of the hardware the tenant holds, plus those of pools it consumes.
                let consumedPools = Set(subscriptions.filter { $0.tenant == tenant }.map(\.pool))
                for node in nodes where node.holding.tenant == tenant || node.holding.pool.map(consumedPools.contains) == true {
                    if !classes.contains(node.gpuClass) { classes.append(node.gpuClass) }
                }
            } else {
                resolution = RoleResolution(role: .none, relationships: [])
            }
            let user = identity.user
            return try MeResponse(
                tenant: identity.tenant,
                user: .init(id: user.id, name: user.name, kind: user.kind.rawValue),
                isAdmin: user.isAdmin,
                isOperator: user.isOperator,
                role: resolution.role.rawValue,
                relationships: resolution.relationships,
                gpuClasses: classes.sorted(),
                features: dependencies.loadTests == nil ? [] : ["loadtests"]
            ).jsonResponse()
        }
    }
}
