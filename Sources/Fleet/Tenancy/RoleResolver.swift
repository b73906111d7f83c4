/// Decides a tenant's role from the inventory, with no I/O, so the rule is testable as a table.
///
/// Precedence is provider > owner > consumer > none (docs/ROLES.md explains why). The backend runs
/// this before returning a single series, so it must be total and deterministic: same input, same
/// output, regardless of the order nodes and subscriptions arrive in.
public enum RoleResolver {
    public static func resolve(
        tenant: String, nodes: [NodeRecord], subscriptions: [Subscription]
    ) -> RoleResolution {
        var relationships: [Relationship] = []
        for node in nodes {
            switch node.holding {
            case .dedicated(let owner) where owner == tenant:
                relationships.append(Relationship(kind: .owner, node: node.name))
            case .contributed(let provider, let pool) where provider == tenant:
                relationships.append(Relationship(kind: .provider, node: node.name, pool: pool))
            case .dedicated, .contributed:
                continue
            }
        }
        for subscription in subscriptions where subscription.tenant == tenant {
            relationships.append(
                Relationship(kind: .consumer, pool: subscription.pool, plan: subscription.plan))
        }
        relationships = Array(Set(relationships)).sorted(by: order)
        let role: Role
        if relationships.contains(where: { $0.kind == .provider }) {
            role = .provider
        } else if relationships.contains(where: { $0.kind == .owner }) {
            role = .owner
        } else if relationships.contains(where: { $0.kind == .consumer }) {
            role = .consumer
        } else {
            role = .none
        }
        return RoleResolution(role: role, relationships: relationships)
    }

    private static func rank(_ kind: Relationship.Kind) -> Int {
        switch kind {
        case .provider: 0
        case .owner: 1
        case .consumer: 2
        }
    }

    private static func order(_ a: Relationship, _ b: Relationship) -> Bool {
        let ka = (rank(a.kind), a.node ?? "", a.pool ?? "", a.plan ?? "")
        let kb = (rank(b.kind), b.node ?? "", b.pool ?? "", b.plan ?? "")
        return ka < kb
    }
}
