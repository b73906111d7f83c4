/// Why a Prometheus request failed, split the way callers must react.
public enum PrometheusClientError: Error, Sendable, CustomStringConvertible {
    /// Prometheus could not be reached (connection refused, DNS, TLS).
    case unreachable(String)
    /// Prometheus did not answer within the timeout.
    case timeout
    /// Prometheus answered with an error envelope (`errorType`, `error`), e.g. a bad query.
    case rejected(status: Int, errorType: String, message: String)
    /// The answer could not be decoded.
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .unreachable(let reason): "Prometheus is unreachable: \(reason)"
        case .timeout: "Prometheus did not answer in time"
        case .rejected(let status, let type, let message): "Prometheus rejected the request (\(status) \(type)): \(message)"
        case .malformedResponse(let reason): "Prometheus sent an answer that could not be read: \(reason)"
        }
    }
}
