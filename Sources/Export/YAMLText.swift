import Yams

/// Builds Yams nodes in a fixed key order and serialises them without line folding.
///
/// Strings that a YAML reader would take for a number, boolean or null (`"1"`, `"true"`, `""`) are
/// double-quoted so Prometheus and Alertmanager read them back as strings.
enum YAMLText {
    /// An ordered mapping.
    static func map(_ pairs: [(String, Node)]) -> Node {
        .mapping(Node.Mapping(pairs.map { (Node($0.0), $0.1) }))
    }

    /// A sequence.
    static func seq(_ items: [Node]) -> Node {
        .sequence(Node.Sequence(items))
    }

    /// A string scalar that reads back as a string.
    static func str(_ text: String) -> Node {
        Node(text, .implicit, needsQuotes(text) ? .doubleQuoted : .any)
    }

    /// A boolean scalar.
    static func bool(_ value: Bool) -> Node {
        Node(value ? "true" : "false")
    }

    /// Serialises `node` as a block-style document ending in a newline.
    static func render(_ node: Node) -> String {
        // Serialising a node tree we built ourselves cannot fail; an empty document is the fallback.
        (try? Yams.serialize(node: node, width: -1, allowUnicode: true)) ?? ""
    }

    static func needsQuotes(_ text: String) -> Bool {
        if text.isEmpty { return true }
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"]
        if reserved.contains(text.lowercased()) { return true }
        if Double(text) != nil || Int(text) != nil { return true }
        if text.hasPrefix("0x") || text.hasPrefix("0o") || text.hasPrefix(".") { return true }
        return false
    }
}
