/// Which of a caller's parameters travel on to Prometheus, per endpoint.
///
/// Only the listed names are forwarded; `query` and `match[]` never are (they travel as checked
/// query types, rewritten), and unknown names are dropped, as Prometheus itself ignores them.
/// Values are forwarded unchanged, so Prometheus validates `time`, `start`, `step`, … and its
/// `bad_data` answer reaches the caller as it is.
enum PrometheusAPIPolicy {
    /// Forwarded once (the first value, as Prometheus's `r.FormValue` reads it).
    static func single(_ endpoint: PrometheusAPIRequest.Endpoint) -> [String] {
        switch endpoint {
        case .query: ["time", "timeout", "limit", "lookback_delta", "stats"]
        case .queryRange: ["start", "end", "step", "timeout", "limit", "lookback_delta", "stats"]
        case .queryExemplars: ["start", "end"]
        case .series, .labels, .labelValues: ["start", "end", "limit"]
        // `limit` is applied here after the tenant filter, not by Prometheus before it.
        case .metadata: ["metric", "limit_per_metric"]
        // `exclude_alerts` is applied here after the filter: a rule's state is computed from the
        // caller's own alerts, which Prometheus must therefore send.
        case .rules: ["type"]
        case .alerts: []
        }
    }

    /// Forwarded with every value.
    static func repeated(_ endpoint: PrometheusAPIRequest.Endpoint) -> [String] {
        switch endpoint {
        case .rules: ["rule_name[]", "rule_group[]", "file[]"]
        case .query, .queryRange, .queryExemplars, .series, .labels, .labelValues, .metadata, .alerts: []
        }
    }

    /// The parameters of `request` that travel on, in the order they came.
    static func forwarded(_ request: PrometheusAPIRequest) -> [(String, String)] {
        var out: [(String, String)] = []
        for name in single(request.endpoint) {
            if let value = request.first(name) { out.append((name, value)) }
        }
        for name in repeated(request.endpoint) {
            out += request.all(name).map { (name, $0) }
        }
        return out
    }
}
