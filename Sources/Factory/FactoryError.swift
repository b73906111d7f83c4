/// What a read of the ``ReadModel`` can refuse, in words a person can act on.
///
/// The HTTP layer maps each case to one status in one place; upstream failures arrive as
/// `PrometheusClientError` and the store's as `StoreError`, mapped there too.
public enum FactoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Missing, or not the caller's to see: the two answer alike, so nothing confirms that another
    /// tenant's thing exists.
    case notFound(String)
    /// The request names something impossible (an unknown metric, a bad range).
    case badRequest(String)
    /// The part of the product this read needs is not configured (no metrics backend).
    case notConfigured(String)
    /// The caller is known but its role may not do this (a member asking for an admin's read).
    case forbidden(String)

    public var description: String {
        switch self {
        case .notFound(let what): "\(what) not found"
        case .badRequest(let message): message
        case .notConfigured(let message): message
        case .forbidden(let message): message
        }
    }

    static let noMetricsBackend = FactoryError.notConfigured("no Prometheus is configured (--prometheus-url)")
}
