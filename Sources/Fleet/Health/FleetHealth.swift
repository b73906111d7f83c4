/// Roll-ups above the node: the page's health pill.
public enum FleetHealth {
    /// The page pill: the worst node (see `Severity` for the order). No nodes → Unknown.
    public static func pill(nodes: [NodeHealth]) -> Severity {
        Severity.worst(nodes.map(\.status))
    }

    /// How many nodes are in each state, for the page's counts.
    public static func counts(nodes: [NodeHealth]) -> [Severity: Int] {
        nodes.reduce(into: [:]) { $0[$1.status, default: 0] += 1 }
    }
}
