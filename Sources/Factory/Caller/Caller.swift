public import Fleet
public import PromQL

/// Who is calling, as the authentication path established it.
///
/// Only ``Authenticator`` creates one (the initializer is internal to this module), and every
/// tenant-facing read of the ``ReadModel`` takes one: the tenant a query is scoped to comes from
/// here, never from a request parameter or a string a route assembled.
public struct Caller: Sendable, Hashable {
    public let user: User
    /// The key that authenticated the request (directly or through the session it opened).
    public let keyID: String

    init(user: User, keyID: String) {
        self.user = user
        self.keyID = keyID
    }

    /// The caller's tenant capability; `nil` for site operators.
    public var tenant: AuthenticatedTenant? { user.tenant.map { AuthenticatedTenant(name: $0, user: user) } }

    /// The operator capability; `nil` for anyone but a site operator.
    public var `operator`: Operator? { user.isOperator ? Operator(user: user) : nil }

    /// Tenant admins and site operators.
    public var isAdmin: Bool { user.isAdmin }

    /// Operators see every node; a tenant the nodes it owns or contributes; nobody else any.
    public func sees(_ node: NodeRecord) -> Bool {
        if self.operator != nil { return true }
        return tenant?.holds(node) ?? false
    }
}

/// The capability to read one tenant's telemetry: made only from an authenticated ``Caller``.
public struct AuthenticatedTenant: Sendable, Hashable {
    /// The tenant's name (the value of ``ScopeLabel/tenant`` on its series).
    public let name: String
    public let user: User

    init(name: String, user: User) {
        self.name = name
        self.user = user
    }

    /// Whether the tenant holds `node` (owns it, or contributes it to a pool).
    public func holds(_ node: NodeRecord) -> Bool { node.holding.tenant == name }

    /// The scope every telemetry read of this tenant goes through.
    public func scope() throws(LabelScope.ConfigurationError) -> TenantScope {
        try TenantScope(tenant: name)
    }

    /// The pool figure of one of this tenant's own subscriptions: an aggregate over the pool's
    /// contributing nodes (`nodes`, the inventory). `nil` when the pool has no contributing node.
    /// A subscription of another tenant is refused: the figure is a consumer's privilege.
    public func poolAggregate(for subscription: Subscription, inventory nodes: [NodeRecord]) throws -> PoolAggregateScope? {
        guard subscription.tenant == name else { throw FactoryError.notFound("subscription") }
        let contributing = nodes.filter { $0.holding.pool == subscription.pool }.map(\.name)
        guard !contributing.isEmpty else { return nil }
        return try PoolAggregateScope(pool: subscription.pool, nodes: contributing)
    }

    /// The scope of the holder's connection check for one of its own nodes: every series that
    /// claims to come from `node`, whatever tenant label it carries (the check's point is to find
    /// a wrong one). Refused for a node the tenant does not hold.
    public func connectionCheckScope(for node: NodeRecord) throws -> FleetScope {
        guard holds(node) else { throw FactoryError.notFound("node") }
        return try FleetScope(narrowing: [(ScopeLabel.node, node.name)])
    }
}

/// The capability to read across tenants: made only from an authenticated site operator.
public struct Operator: Sendable, Hashable {
    public let user: User

    init(user: User) {
        self.user = user
    }

    /// Every series of the fleet.
    public func fleetScope() -> FleetScope { FleetScope() }

    /// One tenant's scope, exactly as that tenant's own reads get it: the operator reads a
    /// tenant's node detail and the fleet view's health per tenant through it, so the node
    /// reports, their caches and their findings are the ones the tenant sees.
    public func tenantScope(_ tenant: String) throws(LabelScope.ConfigurationError) -> TenantScope {
        try TenantScope(tenant: tenant)
    }

    /// Every series that claims to come from `node` (the operator's connection check).
    public func connectionCheckScope(for node: NodeRecord) throws -> FleetScope {
        try FleetScope(narrowing: [(ScopeLabel.node, node.name)])
    }
}
