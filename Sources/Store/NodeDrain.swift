public import Foundation

/// A node taken out of the inference gateway's routing: no new requests, in-flight ones finish.
/// Set by the node's agent before a diagnostic (`drain: true`) or by an admin; cleared by either.
public struct NodeDrain: Sendable, Hashable, Codable {
    public var node: String
    /// Why, for people: "diagnostic run d_… (dcgm level 3)", "maintenance by alice".
    public var reason: String
    public var since: Date

    public init(node: String, reason: String, since: Date) {
        self.node = node
        self.reason = reason
        self.since = since
    }
}
