import Foundation

/// The operator's part of `GET /api/v1/factory/overview` (role `operator`): every tenant of the
/// site with its role, health pill and nodes, grouped so the page can show the fleet by tenant
/// and pool. Only site operators ever get one; tenants' answers never carry this field.
public struct FleetOverview: Encodable, Sendable {
    public struct TenantGroup: Encodable, Sendable {
        var tenant: String
        var displayName: String
        /// owner, provider, consumer or none: what the tenant sees when it signs in.
        var role: String
        /// The tenant's own pill: the worst card among the nodes it holds (`unknown` with none).
        var health: String
        /// The nodes the tenant holds (each card says its `pool`, when contributed).
        var nodes: [FactoryOverview.NodeCard]
        /// Pools it draws on as a consumer.
        var subscribesTo: [String]
        var users: Int
        /// Why this tenant's cards are older than the fleet's, or unknown.
        var reason: String?
    }

    /// Every tenant, by name.
    var tenants: [TenantGroup]
    /// Pools by name, with how many nodes contribute to each and how many tenants draw on it.
    var pools: [Pool]
    var nodeCount: Int
    var gpuCount: Int

    public struct Pool: Encodable, Sendable {
        var pool: String
        var displayName: String
        var nodes: Int
        var consumers: Int
    }
}
