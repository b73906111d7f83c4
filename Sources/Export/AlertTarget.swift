public import Fleet

/// A node that should report, and the tenant responsible for it: the input of the per-node
/// `absent_over_time` rules.
///
/// `absent_over_time(x{node="n"}[10m])` yields only the labels of its equality matchers, so the
/// `tenant` label cannot come from the data: it comes from the inventory, one rule per node.
public struct AlertTarget: Sendable, Hashable, Codable {
    public var node: String
    public var tenant: String

    public init(node: String, tenant: String) {
        self.node = node
        self.tenant = tenant
    }

    /// One target per node of `fleet`, in declaration order; the tenant is the owner or the provider.
    public static func targets(of fleet: FleetSpec) -> [AlertTarget] {
        fleet.nodes.map { AlertTarget(node: $0.name, tenant: $0.holding.tenant) }
    }
}
