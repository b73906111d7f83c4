public import Fleet

/// One node as the factory API shows it: inventory record, what was measured, what it means.
public struct NodeReport: Sendable, Hashable {
    public var node: NodeRecord
    public var snapshot: NodeSnapshot
    public var health: NodeHealth

    public init(node: NodeRecord, snapshot: NodeSnapshot, health: NodeHealth) {
        self.node = node
        self.snapshot = snapshot
        self.health = health
    }
}
