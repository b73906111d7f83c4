public import Fleet

/// A fleet ready to simulate: the specs plus every scenario, resolved per node.
///
/// Built by `FleetFile` (from YAML) or `synthetic(nodes:gpusPerNode:)`. Attachments are checked
/// when they are made (the scenario exists, the GPU index exists on that node), so the simulation
/// itself never meets a dangling reference.
public struct LoadedFleet: Sendable {
    /// The fleet. Each node's `scenarios` lists the names attached to it, in order.
    public var spec: FleetSpec
    /// Every scenario that can be attached, by name: the built-ins plus those defined in files.
    public var library: [String: Scenario]
    /// Scenarios attached to each node, by node name, in attachment order.
    public var attachments: [String: [Scenario]]

    public init(spec: FleetSpec, library: [String: Scenario] = BuiltinScenarios.all, attachments: [String: [Scenario]] = [:]) {
        self.spec = spec
        self.library = library
        self.attachments = attachments
    }

    /// A uniform fleet with no scenarios (see `FleetSpec.synthetic(nodes:gpusPerNode:)`).
    public static func synthetic(nodes: Int, gpusPerNode: Int) -> LoadedFleet {
        LoadedFleet(spec: .synthetic(nodes: nodes, gpusPerNode: gpusPerNode))
    }

    /// The scenarios attached to `node`, in order (empty for unknown nodes).
    public func scenarios(for node: String) -> [Scenario] {
        attachments[node] ?? []
    }

    /// Adds scenarios from a `--scenario` file: each is put in the library and attached to the
    /// nodes its `nodes:` list names.
    ///
    /// - Throws: `FleetFileError` at the scenario's line when its name is already taken by a
    ///   non-built-in scenario, a listed node does not exist, or a step addresses a GPU the node lacks.
    public func adding(_ scenarios: [Scenario]) throws -> LoadedFleet {
        var copy = self
        for scenario in scenarios {
            if let existing = copy.library[scenario.name], existing.file != BuiltinScenarios.file {
                throw FleetFileError(file: scenario.file, line: scenario.line,
                                     message: "scenario '\(scenario.name)' is already defined in \(existing.file):\(existing.line)")
            }
            copy.library[scenario.name] = scenario
            for (offset, nodeName) in scenario.nodes.enumerated() {
                let line = offset < scenario.nodeLines.count ? scenario.nodeLines[offset] : scenario.line
                try copy.attach(scenario, to: nodeName, file: scenario.file, line: line)
            }
        }
        return copy
    }

    /// Attaches `scenario` to node `nodeName`; `file`/`line` locate the reference for errors.
    mutating func attach(_ scenario: Scenario, to nodeName: String, file: String, line: Int) throws(FleetFileError) {
        guard let index = spec.nodes.firstIndex(where: { $0.name == nodeName }) else {
            throw FleetFileError(file: file, line: line, message: "scenario '\(scenario.name)' names unknown node '\(nodeName)'")
        }
        let node = spec.nodes[index]
        if attachments[nodeName]?.contains(where: { $0.name == scenario.name }) == true { return }
        for step in scenario.steps where !step.event.isNodeWide {
            if case .index(let gpu) = step.gpu, gpu >= node.gpuCount {
                let place = scenario.file == file ? "its step at line \(step.line)" : "its step at \(scenario.file):\(step.line)"
                throw FleetFileError(
                    file: file, line: line,
                    message: "scenario '\(scenario.name)': \(place) targets GPU \(gpu), but node '\(node.name)' has \(node.gpuCount) GPU\(node.gpuCount == 1 ? "" : "s")")
            }
        }
        attachments[nodeName, default: []].append(scenario)
        if !spec.nodes[index].scenarios.contains(scenario.name) {
            spec.nodes[index].scenarios.append(scenario.name)
        }
    }
}
