public import Foundation

/// One active (pending or firing) alert from `/api/v1/alerts`.
///
/// `labels` carry `alertname`, `severity` and, for tenant alerts, `tenant` and `node`: the server
/// filters on them (an alert without `tenant` is operator-only). `value` is the expression's value
/// when the alert became active, as Prometheus formats it (`"9.2e+01"`).
public struct PrometheusAlert: Sendable, Hashable, Codable {
    public var labels: [String: String]
    public var annotations: [String: String]
    /// `pending` or `firing`.
    public var state: String
    /// When the alert became active; `nil` when Prometheus did not say.
    public var activeAt: Date?
    public var value: String

    public init(labels: [String: String], annotations: [String: String] = [:], state: String, activeAt: Date? = nil, value: String = "") {
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.activeAt = activeAt
        self.value = value
    }

    /// `labels["alertname"]`, or an empty string.
    public var name: String { labels["alertname"] ?? "" }

    private enum Keys: String, CodingKey {
        case labels, annotations, state, activeAt, value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations) ?? [:]
        state = try container.decodeIfPresent(String.self, forKey: .state) ?? ""
        // Prometheus writes RFC 3339 text; a re-encoded value (our own API) may be a Date.
        if let text = try? container.decodeIfPresent(String.self, forKey: .activeAt) {
            activeAt = RFC3339.parse(text)
        } else {
            activeAt = try? container.decodeIfPresent(Date.self, forKey: .activeAt)
        }
        value = try container.decodeIfPresent(String.self, forKey: .value) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(labels, forKey: .labels)
        try container.encode(annotations, forKey: .annotations)
        try container.encode(state, forKey: .state)
        try container.encodeIfPresent(activeAt, forKey: .activeAt)
        try container.encode(value, forKey: .value)
    }
}
