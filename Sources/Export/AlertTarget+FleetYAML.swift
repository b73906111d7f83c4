import Yams

extension AlertTarget {
    /// The nodes of a fleet file (`deploy/demo/fleet.yaml` format): each entry's `name`, with its
    /// `tenant`, or its `provider` for a contributed node.
    ///
    /// Reads only those keys; the simulator's `FleetFile` is the validating loader. Used where
    /// `Simulator` is out of reach (the golden-file tests).
    public static func targets(fleetYAML text: String) throws(ExportError) -> [AlertTarget] {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw ExportError(.malformedYAML, "fleet file: \(error)") }
        guard let nodes = root?.mapping?["nodes"]?.sequence else {
            throw ExportError(.invalidDocument, "fleet file: expected a `nodes:` list")
        }
        var targets: [AlertTarget] = []
        for (index, node) in nodes.enumerated() {
            guard let name = node.mapping?["name"]?.string,
                  let tenant = node.mapping?["tenant"]?.string ?? node.mapping?["provider"]?.string
            else { throw ExportError(.invalidDocument, "fleet file: node \(index + 1) needs `name` and `tenant` or `provider`") }
            targets.append(AlertTarget(node: name, tenant: tenant))
        }
        return targets
    }
}
