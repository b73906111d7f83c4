/// Confines queries to one tenant, optionally narrowed to one node or pool of that tenant, in one
/// rewrite (see ``LabelScope`` for the policy).
///
/// Its initializer is `package`: inside this package it is called by the read model's caller
/// capability (`AuthenticatedTenant.scope`) and by the event recorder, a system loop that sweeps
/// every tenant of the inventory; code outside the package cannot name a tenant at all. Narrowing
/// is public because it can only ever read less.
public struct TenantScope: Sendable, Hashable {
    /// The tenant every selector is confined to.
    public let tenant: String
    let engine: LabelScope

    package init(tenant: String, options: Parser.Options = .default) throws(LabelScope.ConfigurationError) {
        self.tenant = tenant
        self.engine = try LabelScope([(ScopeLabel.tenant, tenant)], options: options)
    }

    private init(tenant: String, engine: LabelScope) {
        self.tenant = tenant
        self.engine = engine
    }

    /// Every matcher a query gets: the tenant first, then the narrowing ones.
    public var matchers: [LabelScope.Requirement] { engine.requirements }

    /// This scope, further confined to `label="value"` (a node or pool of the tenant).
    ///
    /// The tenant label cannot be narrowed again (``LabelScope/ConfigurationError/duplicateLabel(_:)``).
    public func narrowed(to label: String, _ value: String) throws(LabelScope.ConfigurationError) -> TenantScope {
        let pairs = engine.requirements.map { (label: $0.label, value: $0.value) } + [(label: label, value: value)]
        return TenantScope(tenant: tenant, engine: try LabelScope(pairs, options: engine.options))
    }

    /// This scope narrowed to one node (``ScopeLabel/node``).
    public func narrowed(toNode node: String) throws(LabelScope.ConfigurationError) -> TenantScope {
        try narrowed(to: ScopeLabel.node, node)
    }

    /// Parses, scopes, prints, re-parses and verifies `query`.
    public func rewrite(_ query: String) throws(PromQLError) -> ScopedQuery {
        ScopedQuery(text: try engine.rewrittenText(query, check: { _, _ throws(PromQLError) in }), tenant: tenant, matchers: engine.requirements)
    }
}
