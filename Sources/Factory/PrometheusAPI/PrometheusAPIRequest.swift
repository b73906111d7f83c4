/// One call of the tenant-scoped Prometheus API, as the HTTP layer parsed it.
public struct PrometheusAPIRequest: Sendable {
    /// The endpoints under `/prometheus/api/v1/`.
    public enum Endpoint: Sendable, Hashable, CustomStringConvertible {
        case query, queryRange, queryExemplars, series, labels
        /// `label/<name>/values`.
        case labelValues(String)
        case metadata, rules, alerts

        public var description: String {
            switch self {
            case .query: "query"
            case .queryRange: "query_range"
            case .queryExemplars: "query_exemplars"
            case .series: "series"
            case .labels: "labels"
            case .labelValues(let name): "label/\(name)/values"
            case .metadata: "metadata"
            case .rules: "rules"
            case .alerts: "alerts"
            }
        }
    }

    public var endpoint: Endpoint
    /// Every parameter in the order Prometheus reads them (Go's `r.Form`): the form body's first,
    /// then the URL's. A single-valued parameter is its first occurrence, as `r.FormValue` takes it.
    public var parameters: [(name: String, value: String)]

    public init(_ endpoint: Endpoint, parameters: [(name: String, value: String)]) {
        self.endpoint = endpoint
        self.parameters = parameters
    }

    /// The first value of `name`, as Prometheus's `r.FormValue` reads it.
    func first(_ name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    /// Every value of `name` (`match[]`, `rule_name[]`, …), in order.
    func all(_ name: String) -> [String] {
        parameters.filter { $0.name == name }.map(\.value)
    }
}
