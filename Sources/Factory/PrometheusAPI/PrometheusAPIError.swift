/// Why the tenant-scoped Prometheus API refuses a call before (or instead of) asking Prometheus,
/// in Prometheus's own categories so the HTTP layer can answer in its error envelope.
///
/// Prometheus's own refusals of a relayed query (`bad_data`, `execution`) are not errors here:
/// they come back as the backend's answer, unchanged.
public struct PrometheusAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A malformed parameter, query or selector (Prometheus's `bad_data`).
        case badData
        /// A query or selector that reaches outside the caller's scope, or a caller with no scope.
        case outsideScope
        /// No Prometheus is configured.
        case notConfigured
    }

    public var kind: Kind
    /// A sentence naming the parameter and the problem; never an upstream address.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
