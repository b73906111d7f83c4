/// A query that ``TenantScope`` has rewritten and verified: every series it can read carries
/// `tenant="<the caller's tenant>"`, plus every narrowing matcher (node, pool) the scope carried.
///
/// Only the PromQL module can create one (the initializer is internal), and a ``TenantScope`` can
/// only be made from an authenticated caller, so an API that accepts `ScopedQuery` — the
/// Prometheus client's tenant reads do — cannot be handed an unscoped or node-only string.
public struct ScopedQuery: Sendable, Hashable, CustomStringConvertible {
    /// Canonical PromQL to send to Prometheus.
    public let text: String
    /// The tenant the query is confined to.
    public let tenant: String
    /// Every matcher the query carries on every selector: the tenant first, then any narrowing.
    public let matchers: [LabelScope.Requirement]

    init(text: String, tenant: String, matchers: [LabelScope.Requirement]) {
        self.text = text
        self.tenant = tenant
        self.matchers = matchers
    }

    /// The tenant label (``ScopeLabel/tenant``).
    public var label: String { ScopeLabel.tenant }
    /// The tenant value (the same as ``tenant``).
    public var value: String { tenant }

    public var description: String { text }
}

/// What ``LabelScope`` answers: confined to the labels it names, but accepted by no metrics
/// client (`promql enforce`, tests).
public struct LabelScopedQuery: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public let matchers: [LabelScope.Requirement]

    public var description: String { text }
}
