/// One fact linking a tenant to the fleet, listed so the page can show every role a tenant has.
///
/// `node` is set for owner and provider relationships, `pool` for provider and consumer ones, and
/// `plan` for consumer ones.
public struct Relationship: Sendable, Hashable, Codable {
    public var kind: Kind
    public var node: String?
    public var pool: String?
    public var plan: String?

    public init(kind: Kind, node: String? = nil, pool: String? = nil, plan: String? = nil) {
        self.kind = kind
        self.node = node
        self.pool = pool
        self.plan = plan
    }

    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case owner, provider, consumer
    }
}
