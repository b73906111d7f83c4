/// A query that ``TenantScope`` has rewritten and verified: every series it can read carries
/// `label="value"` for exactly one tenant.
///
/// Only the PromQL module can create one (the initializer is internal), so an API that accepts
/// `ScopedQuery` — the Prometheus client does — cannot be handed an unscoped string by mistake.
public struct ScopedQuery: Sendable, Hashable, CustomStringConvertible {
    /// Canonical PromQL to send to Prometheus.
    public let text: String
    /// The tenant label the query is confined to.
    public let label: String
    /// The tenant value the query is confined to.
    public let value: String

    init(text: String, label: String, value: String) {
        self.text = text
        self.label = label
        self.value = value
    }

    public var description: String { text }
}
