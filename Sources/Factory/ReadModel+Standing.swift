public import Fleet
import Foundation
import Store

/// Who the caller is to the factory: role, held nodes, subscriptions and GPU classes.
public struct Standing: Sendable {
    public var tenant: AuthenticatedTenant
    public var resolution: RoleResolution
    public var held: [NodeRecord]
    public var subscriptions: [Subscription]
    /// GPU classes of the hardware the tenant holds, plus those of the pools it consumes.
    public var gpuClasses: [String]
    /// The whole inventory (the pool figure needs the pools' contributing nodes).
    var inventory: [NodeRecord]

    public var role: Role { resolution.role }
}

extension ReadModel {
    /// The tenant's standing, resolved from the inventory and its subscriptions.
    public func standing(_ tenant: AuthenticatedTenant) async throws -> Standing {
        let allNodes = try await store.nodes()
        let subscriptions = try await store.subscriptions(tenant: tenant.name).filter { $0.tenant == tenant.name }
        let resolution = RoleResolver.resolve(tenant: tenant.name, nodes: allNodes, subscriptions: subscriptions)
        let held = allNodes.filter(tenant.holds)
        let consumed = Set(subscriptions.map(\.pool))
        var classes = Set(held.map(\.gpuClass))
        for node in allNodes where node.holding.pool.map(consumed.contains) == true { classes.insert(node.gpuClass) }
        return Standing(
            tenant: tenant, resolution: resolution, held: held, subscriptions: subscriptions, gpuClasses: classes.sorted(),
            inventory: allNodes)
    }

    /// `GET /api/v1/me`: who the caller is and how the page should present itself.
    public func me(_ caller: Caller, features: [String]) async throws -> MeResponse {
        var resolution = RoleResolution(role: .none, relationships: [])
        var classes: [String] = []
        if let tenant = caller.tenant {
            let standing = try await standing(tenant)
            resolution = standing.resolution
            classes = standing.gpuClasses
        }
        let user = caller.user
        return MeResponse(
            tenant: user.tenant,
            user: .init(id: user.id, name: user.name, kind: user.kind.rawValue),
            isAdmin: user.isAdmin,
            isOperator: user.isOperator,
            role: resolution.role.rawValue,
            relationships: resolution.relationships,
            gpuClasses: classes,
            features: features
        )
    }

    /// The nodes `caller` may see, by name (operators: all; tenants: what they hold).
    public func nodes(_ caller: Caller) async throws -> [NodeRecord] {
        try await store.nodes().filter(caller.sees)
    }

    /// One node `caller` may see; `.notFound` otherwise.
    public func node(_ caller: Caller, named name: String) async throws -> NodeRecord {
        try await visibleNode(name, to: caller)
    }
}
