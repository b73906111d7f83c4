import PrometheusClient

/// How every telemetry reader tells an upstream outage from other failures, and what its stale
/// answers say about it: one rule, so the overview, usage, trend and inference panels agree.
enum UpstreamTrouble {
    /// A `PrometheusClientError` that is an upstream outage may be answered from the last good
    /// value (`LastKnownGood`); anything else is rethrown.
    static func isOutage(_ error: any Error) -> Bool {
        (error as? PrometheusClientError)?.isUpstreamOutage ?? false
    }

    /// The `reason` a stale answer carries, naming what went wrong upstream.
    static func staleReason(_ error: any Error) -> String {
        let detail = (error as? PrometheusClientError)?.userMessage ?? "the metrics backend failed"
        return "\(detail); showing the last known values"
    }
}
