import Yams

/// Typed access to a composed YAML tree that turns every problem into a `FleetFileError` with the
/// offending node's line.
///
/// Decoding through `Codable` would lose line numbers and accept unknown keys; reading Yams' `Node`
/// directly lets the loaders reject typos (`gpuCont:`) at the line they occur.
struct YAMLReader {
    let file: String

    /// Composes `yaml`; syntax errors carry the parser's line. An empty document yields `nil`.
    func compose(_ yaml: String) throws(FleetFileError) -> Node? {
        do {
            return try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error)
        } catch {
            throw FleetFileError(file: file, line: 1, message: "cannot read YAML: \(error)")
        }
    }

    private func syntaxError(_ error: YamlError) -> FleetFileError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let text = [context.map { "\($0.text)" }, problem].compactMap { $0 }.joined(separator: ": ")
            return FleetFileError(file: file, line: mark.line, message: "invalid YAML: \(text)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return FleetFileError(file: file, line: context.mark.line, message: "duplicate key \(duplicates.joined(separator: ", "))")
        default:
            return FleetFileError(file: file, line: 1, message: "invalid YAML: \(error)")
        }
    }

    func line(_ node: Node?) -> Int { node?.mark?.line ?? 1 }

    func error(_ node: Node?, _ message: String) -> FleetFileError {
        FleetFileError(file: file, line: line(node), message: message)
    }

    /// The mapping at `node`, with duplicate and unknown keys rejected.
    func map(_ node: Node, _ what: String, allowed: Set<String>) throws(FleetFileError) -> YAMLMap {
        guard case .mapping(let mapping) = node else { throw error(node, "\(what) must be a mapping") }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else { throw error(keyNode, "\(what): keys must be plain strings") }
            if entries.contains(where: { $0.key == key }) { throw error(keyNode, "\(what): duplicate key '\(key)'") }
            guard allowed.contains(key) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw error(keyNode, "\(what): unknown key '\(key)' (expected one of: \(known))")
            }
            entries.append((key, keyNode, value))
        }
        return YAMLMap(reader: self, node: node, what: what, entries: entries)
    }

    func sequence(_ node: Node, _ what: String) throws(FleetFileError) -> [Node] {
        guard case .sequence(let sequence) = node else { throw error(node, "\(what) must be a list") }
        return Array(sequence)
    }

    func string(_ node: Node, _ what: String) throws(FleetFileError) -> String {
        guard case .scalar(let scalar) = node, node.null == nil else { throw error(node, "\(what) must be a string") }
        return scalar.string
    }

    func int(_ node: Node, _ what: String) throws(FleetFileError) -> Int {
        guard case .scalar = node, let value = node.int else { throw error(node, "\(what) must be an integer") }
        return value
    }

    func number(_ node: Node, _ what: String) throws(FleetFileError) -> Double {
        guard case .scalar = node, let value = node.float ?? node.int.map(Double.init) else {
            throw error(node, "\(what) must be a number")
        }
        return value
    }

    /// A duration: a number of seconds, or text such as `90s`, `2m`, `1h30m`, `1.5s`.
    func duration(_ node: Node, _ what: String) throws(FleetFileError) -> Double {
        guard case .scalar(let scalar) = node else { throw error(node, "\(what) must be a duration such as 90s or 5m") }
        if let seconds = node.int { return Double(seconds) }
        guard let seconds = DurationText.seconds(scalar.string) else {
            throw error(node, "\(what): '\(scalar.string)' is not a duration (use e.g. 90s, 5m, 1h30m)")
        }
        return seconds
    }

    func stringList(_ node: Node, _ what: String) throws(FleetFileError) -> [(value: String, node: Node)] {
        var out: [(String, Node)] = []
        for item in try sequence(node, what) {
            out.append((try string(item, "each entry of \(what)"), item))
        }
        return out
    }
}

/// A mapping whose keys were checked against an allowed set.
struct YAMLMap {
    let reader: YAMLReader
    let node: Node
    let what: String
    let entries: [(key: String, keyNode: Node, value: Node)]

    subscript(key: String) -> Node? {
        entries.first { $0.key == key }?.value
    }

    func has(_ key: String) -> Bool { self[key] != nil }

    func required(_ key: String) throws(FleetFileError) -> Node {
        guard let value = self[key] else { throw reader.error(node, "\(what): missing required key '\(key)'") }
        return value
    }

    func string(_ key: String) throws(FleetFileError) -> String? {
        guard let value = self[key] else { return nil }
        return try reader.string(value, "'\(key)'")
    }

    func requiredString(_ key: String) throws(FleetFileError) -> String {
        try reader.string(try required(key), "'\(key)'")
    }

    func int(_ key: String) throws(FleetFileError) -> Int? {
        guard let value = self[key] else { return nil }
        return try reader.int(value, "'\(key)'")
    }

    func number(_ key: String) throws(FleetFileError) -> Double? {
        guard let value = self[key] else { return nil }
        return try reader.number(value, "'\(key)'")
    }

    func duration(_ key: String) throws(FleetFileError) -> Double? {
        guard let value = self[key] else { return nil }
        return try reader.duration(value, "'\(key)'")
    }
}
