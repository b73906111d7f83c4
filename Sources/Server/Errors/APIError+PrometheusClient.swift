import PrometheusClient

extension APIError {
    /// Maps a metrics-backend failure that had no last known answer to serve as stale: 503 with
    /// the people-facing message, never the upstream address or its error text (those go to the log).
    init(_ error: PrometheusClientError) {
        self = .unavailable("\(error.userMessage); try again shortly")
    }
}
