import Yams

/// Reads scenario YAML: one scenario (a mapping) or several (a list of mappings).
///
/// ```yaml
/// name: thermal-excursion
/// description: GPU 0 runs hot, then crosses 90 °C.
/// nodes: [node-0003]          # optional: attach to these nodes
/// steps:
///   - {at: 90s, event: thermal, gpu: 0, celsius: 87, ramp: 60s}
///   - {at: 7m, event: thermal, gpu: 0, celsius: 92, ramp: 30s}
/// ```
public enum ScenarioFile {
    /// Loads scenarios from a file on disk.
    public static func load(path: String) throws -> [Scenario] {
        let text: String
        do {
            text = try readTextFile(path)
        } catch {
            throw FleetFileError(file: path, line: 1, message: "cannot read file: \(error)")
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses scenarios from YAML text; `file` labels error messages.
    public static func parse(yaml: String, file: String) throws -> [Scenario] {
        let reader = YAMLReader(file: file)
        guard let root = try reader.compose(yaml) else {
            throw FleetFileError(file: file, line: 1, message: "empty scenario file")
        }
        if case .sequence = root {
            var scenarios: [Scenario] = []
            for item in try reader.sequence(root, "scenario list") {
                let scenario = try parseScenario(item, reader: reader)
                if scenarios.contains(where: { $0.name == scenario.name }) {
                    throw reader.error(item, "duplicate scenario name '\(scenario.name)'")
                }
                scenarios.append(scenario)
            }
            return scenarios
        }
        return [try parseScenario(root, reader: reader)]
    }

    static func parseScenario(_ node: Node, reader: YAMLReader) throws(FleetFileError) -> Scenario {
        let map = try reader.map(node, "scenario", allowed: ["name", "description", "nodes", "steps"])
        let nameNode = try map.required("name")
        let name = try reader.string(nameNode, "scenario 'name'")
        guard NodeNameRule.isValid(name) else {
            throw reader.error(nameNode, "scenario name '\(name)' must match [a-z0-9][a-z0-9-]*")
        }
        var nodes: [String] = []
        var nodeLines: [Int] = []
        if let nodesNode = map["nodes"] {
            for (value, item) in try reader.stringList(nodesNode, "'nodes'") {
                nodes.append(value)
                nodeLines.append(reader.line(item))
            }
        }
        var steps: [ScenarioStep] = []
        for item in try reader.sequence(try map.required("steps"), "'steps'") {
            steps.append(try parseStep(item, reader: reader))
        }
        guard !steps.isEmpty else { throw reader.error(node, "scenario '\(name)' has no steps") }
        return Scenario(
            name: name, description: try map.string("description") ?? "", nodes: nodes, steps: steps,
            file: reader.file, line: reader.line(nameNode), nodeLines: nodeLines)
    }

    /// Keys each event accepts besides `at`, `event` and `gpu`.
    static let eventKeys: [String: Set<String>] = [
        "thermal": ["celsius", "ramp"],
        "xid": ["code"],
        "fall-off-bus": [],
        "ecc-dbe": [],
        "ecc-sbe": ["count"],
        "pcie-downgrade": ["gen", "width"],
        "clock-event": ["reasons", "duration"],
        "missing-fields": ["fields"],
        "exporter-down": ["duration", "every"],
        "workload": ["profile"],
    ]

    static func parseStep(_ node: Node, reader: YAMLReader) throws(FleetFileError) -> ScenarioStep {
        guard case .mapping = node else { throw reader.error(node, "each step must be a mapping") }
        let loose = try reader.map(node, "step", allowed: Set(eventKeys.values.flatMap { $0 } + ["at", "event", "gpu"]))
        let eventNode = try loose.required("event")
        let keyword = try reader.string(eventNode, "'event'")
        guard let extra = eventKeys[keyword] else {
            let known = eventKeys.keys.sorted().joined(separator: ", ")
            throw reader.error(eventNode, "unknown event '\(keyword)' (expected one of: \(known))")
        }
        let map = try reader.map(node, "'\(keyword)' step", allowed: extra.union(["at", "event", "gpu"]))
        guard let at = try map.duration("at") else { throw reader.error(node, "step: missing required key 'at'") }

        var gpu = GPUTarget.index(0)
        if let gpuNode = map["gpu"] {
            if gpuNode.scalar?.string == "all" {
                gpu = .all
            } else {
                let index = try reader.int(gpuNode, "'gpu' (an index or 'all')")
                guard index >= 0 else { throw reader.error(gpuNode, "'gpu' must not be negative") }
                gpu = .index(index)
            }
        }

        func positive(_ key: String) throws(FleetFileError) -> Double? {
            guard let value = try map.duration(key) else { return nil }
            guard value > 0 else { throw reader.error(map[key], "'\(key)' must be longer than 0s") }
            return value
        }

        let event: ScenarioEvent
        switch keyword {
        case "thermal":
            let celsiusNode = try map.required("celsius")
            let celsius = try reader.number(celsiusNode, "'celsius'")
            guard (0...130).contains(celsius) else { throw reader.error(celsiusNode, "'celsius' must be between 0 and 130") }
            event = .thermal(celsius: celsius, ramp: try map.duration("ramp") ?? 60)
        case "xid":
            let codeNode = try map.required("code")
            let code = try reader.int(codeNode, "'code'")
            guard (1...999).contains(code) else { throw reader.error(codeNode, "'code' must be an XID between 1 and 999") }
            event = .xid(code: code)
        case "fall-off-bus":
            event = .fallOffBus
        case "ecc-dbe":
            event = .eccDoubleBit
        case "ecc-sbe":
            let count = try map.int("count") ?? 1
            guard count > 0 else { throw reader.error(map["count"], "'count' must be positive") }
            event = .eccSingleBit(count: count)
        case "pcie-downgrade":
            let gen = try map.int("gen")
            let width = try map.int("width")
            if let gen, !(1...6).contains(gen) { throw reader.error(map["gen"], "'gen' must be between 1 and 6") }
            if let width, ![1, 2, 4, 8, 16, 32].contains(width) {
                throw reader.error(map["width"], "'width' must be one of 1, 2, 4, 8, 16, 32")
            }
            event = .pcieDowngrade(gen: gen, width: width)
        case "clock-event":
            let reasonsNode = try map.required("reasons")
            var mask: UInt64 = 0
            for (name, item) in try reader.stringList(reasonsNode, "'reasons'") {
                guard let reason = ClockEventReason(rawValue: name) else {
                    let known = ClockEventReason.allCases.map(\.rawValue).joined(separator: ", ")
                    throw reader.error(item, "unknown clock event '\(name)' (expected one of: \(known))")
                }
                mask |= reason.mask
            }
            guard mask != 0 else { throw reader.error(reasonsNode, "'reasons' must name at least one clock event") }
            event = .clockEvent(mask: mask, duration: try positive("duration"))
        case "missing-fields":
            var fields = ScenarioEvent.stockMissingFields
            if let fieldsNode = map["fields"] {
                fields = []
                for (name, item) in try reader.stringList(fieldsNode, "'fields'") {
                    guard DCGMField.byName[name] != nil else {
                        throw reader.error(item, "unknown DCGM field '\(name)' (the simulator does not export it)")
                    }
                    fields.append(name)
                }
            }
            event = .missingFields(fields)
        case "exporter-down":
            let duration = try positive("duration")
            let every = try positive("every")
            if let every, let duration, duration >= every {
                throw reader.error(map["duration"], "'duration' must be shorter than 'every'")
            }
            if every != nil, duration == nil {
                throw reader.error(map["every"], "'every' needs a 'duration' (how long each outage lasts)")
            }
            event = .exporterDown(duration: duration, every: every)
        case "workload":
            let profileNode = try map.required("profile")
            let name = try reader.string(profileNode, "'profile'")
            guard let profile = WorkloadProfile(rawValue: name) else {
                let known = WorkloadProfile.allCases.map(\.rawValue).joined(separator: ", ")
                throw reader.error(profileNode, "unknown workload profile '\(name)' (expected one of: \(known))")
            }
            event = .workload(profile)
        default:
            throw reader.error(eventNode, "unknown event '\(keyword)'")
        }
        return ScenarioStep(at: at, gpu: gpu, event: event, line: reader.line(node))
    }
}
