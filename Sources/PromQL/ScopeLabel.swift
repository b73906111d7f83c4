/// The label names that confine series, spelled once.
///
/// Service discovery writes them onto every scrape target, the readers scope queries on them, the
/// alert filter and the exported rules, routes and dashboards read them. Keeping the spelling in
/// one place is what makes "every series carries its tenant" a property of the code rather than an
/// agreement between a dozen string literals.
public enum ScopeLabel {
    /// The tenant that holds a node (its owner, or the provider of a contributed node).
    public static let tenant = "tenant"
    /// The inventory name of a node.
    public static let node = "node"
    /// The shared pool a node is contributed to (``dedicatedPool`` for a dedicated node).
    public static let pool = "pool"
    /// The `pool` value service discovery gives a dedicated node, so an exporter can never bring
    /// its own `pool` label into a pool's aggregate. Not a valid pool name (pools match
    /// `[a-z0-9][a-z0-9-]*`), so no real pool can collide with it.
    public static let dedicatedPool = "_dedicated"
}
