/// A named, time-scripted sequence of faults or load changes, attached to nodes.
///
/// Scenarios are data (YAML), so a demo or a test can script "GPU 0 overheats at 90 s, crosses
/// 90 °C at 7 min" without code. Everything a scenario does is a pure function of elapsed time,
/// which keeps the simulator deterministic for a given seed.
public struct Scenario: Sendable, Hashable {
    /// Unique name, referred to by fleet files (`scenarios: [xid-79]`).
    public var name: String
    /// One sentence for people: what it simulates and what to look for.
    public var description: String
    /// Nodes the scenario attaches itself to (used by `--scenario FILE`); fleet files can attach too.
    public var nodes: [String]
    /// Steps in file order.
    public var steps: [ScenarioStep]
    /// File the scenario came from (`<built-in>` for embedded ones), for error messages.
    public var file: String
    /// Line of the scenario's `name`, for error messages.
    public var line: Int
    /// Line of each entry in `nodes`.
    public var nodeLines: [Int]

    public init(name: String, description: String = "", nodes: [String] = [], steps: [ScenarioStep],
                file: String = "<inline>", line: Int = 0, nodeLines: [Int] = []) {
        self.name = name
        self.description = description
        self.nodes = nodes
        self.steps = steps
        self.file = file
        self.line = line
        self.nodeLines = nodeLines
    }
}
