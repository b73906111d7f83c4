public import Fleet

/// The demo's tenants and their roles, derived from the fleet plus the tenants that hold no node.
///
/// Owners and providers come from the fleet's holdings; the demo adds a consumer of every pool
/// and a tenant with no relationship at all, so every role the page knows can be logged into.
public enum DemoTenants {
    /// A consumer tenant drawing on the demo's shared pools.
    public static let consumer = "umbrella"
    /// A tenant with no node, pool or subscription (the page shows an explainer).
    public static let unrelated = "hooli"
    /// Platform staff.
    public static let siteOperator = "operator"

    /// `(tenant, role)` for every demo login, in a stable order.
    public static func roles(for fleet: FleetSpec) -> [(tenant: String, role: String)] {
        var result: [(String, String)] = []
        for tenant in fleet.tenants {
            let holdings = fleet.nodes.filter { $0.holding.tenant == tenant }.map(\.holding)
            let provides = holdings.contains { if case .contributed = $0 { return true } else { return false } }
            result.append((tenant, provides ? "provider" : "owner"))
        }
        let hasPool = fleet.nodes.contains { $0.holding.pool != nil }
        if hasPool { result.append((consumer, "consumer")) }
        result.append((unrelated, "none"))
        result.append((siteOperator, "operator"))
        return result
    }
}
