/// The outcome of resolving a tenant: its primary role and every relationship behind it.
public struct RoleResolution: Sendable, Hashable, Codable {
    public var role: Role
    /// Sorted: providers, owners, consumers; then by node, pool, plan. Empty exactly when role is `.none`.
    public var relationships: [Relationship]

    public init(role: Role, relationships: [Relationship]) {
        self.role = role
        self.relationships = relationships
    }
}
