/// One recording or alerting rule and how its last evaluation went.
///
/// The alerts an alerting rule currently holds are not repeated here; read them from `alerts()`.
public struct PrometheusRule: Sendable, Hashable, Decodable {
    public enum Kind: String, Sendable, Hashable, Decodable {
        case alerting, recording
    }

    public var kind: Kind
    /// Alert name or recorded series name.
    public var name: String
    /// The rule's PromQL expression.
    public var query: String
    public var labels: [String: String]
    /// Alerting rules only.
    public var annotations: [String: String]
    /// Alerting rules: `for` in seconds.
    public var duration: Double
    /// Alerting rules: `inactive`, `pending` or `firing`; empty for recording rules.
    public var state: String
    /// `ok`, `err` or `unknown`.
    public var health: String
    /// The last evaluation's error; `nil` when it succeeded.
    public var lastError: String?

    public init(kind: Kind, name: String, query: String, labels: [String: String] = [:], annotations: [String: String] = [:], duration: Double = 0, state: String = "", health: String = "unknown", lastError: String? = nil) {
        self.kind = kind
        self.name = name
        self.query = query
        self.labels = labels
        self.annotations = annotations
        self.duration = duration
        self.state = state
        self.health = health
        self.lastError = lastError
    }

    private enum Keys: String, CodingKey {
        case type, name, query, labels, annotations, duration, state, health, lastError
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        kind = try container.decode(Kind.self, forKey: .type)
        name = try container.decode(String.self, forKey: .name)
        query = try container.decode(String.self, forKey: .query)
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations) ?? [:]
        duration = try container.decodeIfPresent(Double.self, forKey: .duration) ?? 0
        state = try container.decodeIfPresent(String.self, forKey: .state) ?? ""
        health = try container.decodeIfPresent(String.self, forKey: .health) ?? "unknown"
        let error = try container.decodeIfPresent(String.self, forKey: .lastError) ?? ""
        lastError = error.isEmpty ? nil : error
    }
}
