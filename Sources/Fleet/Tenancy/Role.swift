/// A tenant's primary role, which decides what the page shows (see docs/ROLES.md).
///
/// Cases are declared in precedence order: a tenant with several relationships gets the first that
/// applies, because each role's view is a superset of the next one's hardware visibility.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    /// Contributes at least one node to a pool: full hardware view plus pool notes.
    case provider
    /// Holds at least one dedicated node: full hardware view of its own nodes.
    case owner
    /// Subscribes to at least one pool: usage only, never a provider's hardware.
    case consumer
    /// No relationship yet: the page shows an explainer.
    case none
}
