/// A rule group from `/api/v1/rules`: its rules in evaluation order.
public struct PrometheusRuleGroup: Sendable, Hashable, Decodable {
    public var name: String
    /// The rule file the group came from.
    public var file: String
    /// Evaluation interval in seconds.
    public var interval: Double
    public var rules: [PrometheusRule]

    public init(name: String, file: String = "", interval: Double = 0, rules: [PrometheusRule]) {
        self.name = name
        self.file = file
        self.interval = interval
        self.rules = rules
    }

    private enum Keys: String, CodingKey { case name, file, interval, rules }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        name = try container.decode(String.self, forKey: .name)
        file = try container.decodeIfPresent(String.self, forKey: .file) ?? ""
        interval = try container.decodeIfPresent(Double.self, forKey: .interval) ?? 0
        rules = try container.decodeIfPresent([PrometheusRule].self, forKey: .rules) ?? []
    }
}
