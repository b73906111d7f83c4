/// Who holds a node, which decides who may see it and whose GPU count it adds to.
///
/// A node is either dedicated to one tenant (the owner sees and pays for all of it), or contributed
/// by a provider tenant to a named pool that other tenants draw from. In both cases exactly one
/// tenant is responsible for the hardware, which is what `tenant` returns.
public enum Holding: Sendable, Hashable, Codable {
    /// The node belongs to `tenant` alone.
    case dedicated(tenant: String)
    /// `provider` owns the node and lends it to the shared `pool`.
    case contributed(provider: String, pool: String)

    /// The tenant responsible for the node: the owner, or the contributing provider.
    public var tenant: String {
        switch self {
        case .dedicated(let tenant): tenant
        case .contributed(let provider, _): provider
        }
    }

    /// The pool the node is contributed to, or `nil` for a dedicated node.
    public var pool: String? {
        switch self {
        case .dedicated: nil
        case .contributed(_, let pool): pool
        }
    }
}
