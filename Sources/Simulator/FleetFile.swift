import Fleet
import Yams
import Foundation

/// Reads fleet files: the nodes to simulate, who holds them, and their scenarios.
///
/// ```yaml
/// nodes:
///   - name: acme-h100-1            # [a-z0-9][a-z0-9-]*, unique
///     host: gpu-a1.dc1.example     # optional, defaults to name (the exporter's Hostname label)
///     gpuClass: h100-80            # one of GPUClass.known
///     gpuCount: 2
///     gpuModel: NVIDIA H100 80GB HBM3   # optional, defaults to the class's model name
///     gpuMemoryMiB: 81559               # optional, defaults to the class's memory
///     tenant: acme                 # dedicated to a tenant, or:
///     # provider: globex           #   contributed by a provider …
///     # pool: shared-ada           #   … to a pool
///     servedModel: meta-llama/Llama-3.1-70B-Instruct   # optional: runs vLLM
///     scenarios: [xid-79]          # optional: built-in or defined below
/// scenarios:                       # optional: custom scenarios (scenario-file format)
///   - name: …
/// ```
/// Every problem (syntax, unknown or missing key, wrong type, duplicate node name, unknown class,
/// count out of range, unknown scenario) is a `FleetFileError` carrying `file:line`.
public enum FleetFile {
    /// Loads and validates a fleet file from disk.
    public static func load(path: String) throws -> LoadedFleet {
        try load(path: path, scenarios: [])
    }

    /// Loads a fleet file that may name, besides the built-ins, the given extra scenarios (from
    /// `--scenario` files); extras also attach themselves through their `nodes:` lists.
    public static func load(path: String, scenarios extra: [Scenario]) throws -> LoadedFleet {
        let text: String
        do {
            text = try readTextFile(path)
        } catch {
            throw FleetFileError(file: path, line: 1, message: "cannot read file: \(error.localizedDescription)")
        }
        return try parse(yaml: text, file: path, scenarios: extra)
    }

    /// Parses and validates fleet YAML; `file` labels error messages.
    public static func parse(yaml: String, file: String) throws -> LoadedFleet {
        try parseTyped(yaml: yaml, file: file, extra: [])
    }

    /// Parses fleet YAML with extra scenarios available (see `load(path:scenarios:)`).
    public static func parse(yaml: String, file: String, scenarios extra: [Scenario]) throws -> LoadedFleet {
        try parseTyped(yaml: yaml, file: file, extra: extra)
    }

    /// The embedded demo fleet (`DemoFleet.yaml`, also committed as `deploy/demo/fleet.yaml`).
    ///
    /// The YAML is compiled in and covered by a test, so a failure here is a programming error.
    public static var demo: LoadedFleet { parsedDemo }

    private static let parsedDemo: LoadedFleet = {
        do {
            return try parse(yaml: DemoFleet.yaml, file: DemoFleet.file)
        } catch {
            preconditionFailure("the embedded demo fleet is invalid: \(error)")
        }
    }()

    /// The YAML text of the embedded demo fleet (identical to `deploy/demo/fleet.yaml`).
    public static var demoYAML: String { DemoFleet.yaml }

    static func parseTyped(yaml: String, file: String, extra: [Scenario]) throws(FleetFileError) -> LoadedFleet {
        let reader = YAMLReader(file: file)
        guard let root = try reader.compose(yaml) else {
            throw FleetFileError(file: file, line: 1, message: "empty fleet file (expected a 'nodes:' list)")
        }
        let top = try reader.map(root, "fleet file", allowed: ["nodes", "scenarios"])

        var library = BuiltinScenarios.all
        for scenario in extra {
            if let existing = library[scenario.name], existing.file != BuiltinScenarios.file {
                throw FleetFileError(file: scenario.file, line: scenario.line,
                                     message: "scenario '\(scenario.name)' is already defined in \(existing.file):\(existing.line)")
            }
            library[scenario.name] = scenario
        }
        var defined: [Scenario] = []
        if let scenariosNode = top["scenarios"] {
            for item in try reader.sequence(scenariosNode, "'scenarios'") {
                let scenario = try ScenarioFile.parseScenario(item, reader: reader)
                if let existing = library[scenario.name] {
                    let origin = existing.file == BuiltinScenarios.file ? "a built-in scenario" : "already defined"
                    throw reader.error(item, "scenario '\(scenario.name)' is \(origin)")
                }
                library[scenario.name] = scenario
                defined.append(scenario)
            }
        }

        let nodesNode = try top.required("nodes")
        var nodes: [NodeSpec] = []
        var references: [(node: String, scenario: String, line: Int)] = []
        var nameLines: [String: Int] = [:]
        for item in try reader.sequence(nodesNode, "'nodes'") {
            let (node, refs) = try parseNode(item, reader: reader, library: library)
            if let first = nameLines[node.name] {
                throw reader.error(item, "duplicate node name '\(node.name)' (first defined at line \(first))")
            }
            nameLines[node.name] = reader.line(item)
            var bare = node
            bare.scenarios = []
            nodes.append(bare)
            references += refs.map { (node.name, $0.name, $0.line) }
        }
        guard !nodes.isEmpty else { throw reader.error(nodesNode, "'nodes' must list at least one node") }

        var fleet = LoadedFleet(spec: FleetSpec(nodes: nodes), library: library)
        for reference in references {
            guard let scenario = library[reference.scenario] else { continue }  // checked in parseNode
            try fleet.attach(scenario, to: reference.node, file: file, line: reference.line)
        }
        // Custom scenarios may also attach themselves through their own `nodes:` list.
        for scenario in defined + extra {
            for (offset, nodeName) in scenario.nodes.enumerated() {
                let line = offset < scenario.nodeLines.count ? scenario.nodeLines[offset] : scenario.line
                try fleet.attach(scenario, to: nodeName, file: scenario.file, line: line)
            }
        }
        return fleet
    }

    static let nodeKeys: Set<String> = [
        "name", "host", "gpuClass", "gpuCount", "gpuModel", "gpuMemoryMiB", "tenant", "provider", "pool",
        "servedModel", "scenarios",
    ]

    static func parseNode(
        _ item: Node, reader: YAMLReader, library: [String: Scenario]
    ) throws(FleetFileError) -> (NodeSpec, [(name: String, line: Int)]) {
        let map = try reader.map(item, "node", allowed: nodeKeys)
        let nameNode = try map.required("name")
        let name = try reader.string(nameNode, "node 'name'")
        guard NodeSpec.isValidName(name) else {
            throw reader.error(nameNode, "node name '\(name)' must match [a-z0-9][a-z0-9-]* (at most 63 characters)")
        }
        let classNode = try map.required("gpuClass")
        let classID = try reader.string(classNode, "'gpuClass'")
        guard let gpuClass = GPUClass.named(classID) else {
            let known = GPUClass.known.map(\.id).joined(separator: ", ")
            throw reader.error(classNode, "unknown GPU class '\(classID)' (expected one of: \(known))")
        }
        let countNode = try map.required("gpuCount")
        let gpuCount = try reader.int(countNode, "'gpuCount'")
        guard (1...16).contains(gpuCount) else {
            throw reader.error(countNode, "'gpuCount' must be between 1 and 16, got \(gpuCount)")
        }
        let memory = try map.int("gpuMemoryMiB") ?? gpuClass.memoryMiB
        guard memory > 0 else { throw reader.error(map["gpuMemoryMiB"], "'gpuMemoryMiB' must be positive, got \(memory)") }
        let host = try map.string("host") ?? name
        guard !host.isEmpty else { throw reader.error(map["host"], "'host' must not be empty") }
        let model = try map.string("gpuModel") ?? gpuClass.modelName

        let holding: Holding
        switch (try map.string("tenant"), try map.string("provider"), try map.string("pool")) {
        case (let tenant?, nil, nil):
            guard NodeSpec.isValidName(tenant) else { throw reader.error(map["tenant"], "tenant '\(tenant)' must match [a-z0-9][a-z0-9-]*") }
            holding = .dedicated(tenant: tenant)
        case (nil, let provider?, let pool?):
            guard NodeSpec.isValidName(provider) else { throw reader.error(map["provider"], "provider '\(provider)' must match [a-z0-9][a-z0-9-]*") }
            guard NodeSpec.isValidName(pool) else { throw reader.error(map["pool"], "pool '\(pool)' must match [a-z0-9][a-z0-9-]*") }
            holding = .contributed(provider: provider, pool: pool)
        case (_?, _, _):
            throw reader.error(map["tenant"], "node '\(name)': give either 'tenant' (dedicated) or 'provider' and 'pool' (contributed), not both")
        case (nil, _?, nil):
            throw reader.error(map["provider"], "node '\(name)': 'provider' needs a 'pool'")
        case (nil, nil, _?):
            throw reader.error(map["pool"], "node '\(name)': 'pool' needs a 'provider'")
        case (nil, nil, nil):
            throw reader.error(item, "node '\(name)': missing holder: give 'tenant' (dedicated) or 'provider' and 'pool' (contributed)")
        }

        var servedModel: String?
        if let servedNode = map["servedModel"] {
            let served = try reader.string(servedNode, "'servedModel'")
            guard !served.isEmpty else { throw reader.error(servedNode, "'servedModel' must not be empty") }
            servedModel = served
        }

        var references: [(name: String, line: Int)] = []
        if let scenariosNode = map["scenarios"] {
            for (scenarioName, scenarioItem) in try reader.stringList(scenariosNode, "'scenarios'") {
                guard library[scenarioName] != nil else {
                    let known = library.keys.sorted().joined(separator: ", ")
                    throw reader.error(scenarioItem, "unknown scenario '\(scenarioName)' (known: \(known))")
                }
                references.append((scenarioName, reader.line(scenarioItem)))
            }
        }
        let node = NodeSpec(
            name: name, host: host, gpuModel: model, gpuCount: gpuCount, gpuMemoryMiB: memory,
            gpuClass: gpuClass.id, holding: holding, servedModel: servedModel, scenarios: references.map(\.name))
        return (node, references)
    }
}
