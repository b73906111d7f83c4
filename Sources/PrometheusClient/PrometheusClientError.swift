import Foundation

/// Why a Prometheus request failed, split the way callers must react.
///
/// The split that matters is `isUpstreamOutage`: when the backend is down, slow or answering
/// garbage, the server keeps serving the last good values marked stale (never a 5xx of its own);
/// when the request itself is wrong, retrying or serving stale data would hide a bug, so the
/// caller reports it. `code` is for programs, `userMessage` for people (it never names the
/// upstream address), and `description` carries the detail for logs.
public enum PrometheusClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The backend could not be reached (connection refused, DNS, TLS). The reason is for logs.
    case unreachable(String)
    /// The backend did not answer within the deadline, or said so itself (503 `timeout`, 504).
    case timeout
    /// The backend answered with its error envelope (`errorType`, `error`): 400 `bad_data` or
    /// 422 `execution` for a query it will not run, 5xx (`internal`, `canceled`, `unavailable`)
    /// when it failed itself. `status` is 200 for an error envelope inside a 200 answer.
    case rejected(status: Int, errorType: String, message: String)
    /// The answer could not be decoded (not JSON, or not the shape the endpoint documents).
    case malformedResponse(String)
    /// A non-200 status without the backend's error envelope: something else answered — a proxy
    /// (502), a wrong `basePath` (404), an unauthenticated gateway (401).
    case badResponse(status: Int)
    /// The body exceeded the client's `maxResponseBytes`; it was not buffered.
    case tooLarge(limit: Int)
    /// The answer was well-formed but not of the type the method returns (a matrix from the
    /// vector convenience `query(_:at:)`); the caller asked the wrong method.
    case unexpectedResult(expected: String, got: String)
    /// Refused before sending: e.g. a metadata request with no scoped selector, which would read
    /// across tenants, or an invalid label name.
    case invalidRequest(String)
    /// The calling task was cancelled.
    case cancelled

    /// Whether the failure is the backend's, not the request's: the caller should serve the last
    /// known data marked stale and try again on the next refresh.
    ///
    /// True for unreachable, timeout, malformed answers, answers from something other than the
    /// backend, 5xx and 429 (Mimir's rate limit). False for a rejected query (4xx such as
    /// `bad_data`/`execution`), an oversized answer (it will be just as large next time: narrow
    /// the query), a wrong result type, a request refused locally and cancellation.
    public var isUpstreamOutage: Bool {
        switch self {
        case .unreachable, .timeout, .malformedResponse, .badResponse: true
        case .rejected(let status, _, _): status >= 500 || status == 429
        case .tooLarge, .unexpectedResult, .invalidRequest, .cancelled: false
        }
    }

    /// Stable identifier for programs and API error bodies.
    public var code: String {
        switch self {
        case .unreachable: "upstream_unreachable"
        case .timeout: "upstream_timeout"
        case .rejected: isUpstreamOutage ? "upstream_failed" : "upstream_rejected"
        case .malformedResponse: "upstream_malformed"
        case .badResponse: "upstream_bad_status"
        case .tooLarge: "upstream_too_large"
        case .unexpectedResult: "unexpected_result"
        case .invalidRequest: "invalid_request"
        case .cancelled: "cancelled"
        }
    }

    /// A sentence for people. Never contains the upstream URL, address or raw error text.
    public var userMessage: String {
        switch self {
        case .unreachable: "The metrics backend cannot be reached."
        case .timeout: "The metrics backend did not answer in time."
        case .rejected(let status, let type, _):
            status >= 500 || status == 429
                ? "The metrics backend failed to answer (\(Self.safe(type)))."
                : "The metrics backend rejected the query (\(Self.safe(type)))."
        case .malformedResponse: "The metrics backend sent an answer that could not be read."
        case .badResponse(let status): "The metrics backend answered with HTTP status \(status)."
        case .tooLarge(let limit): "The answer is larger than \(limit >> 20) MiB; narrow the query or the time range."
        case .unexpectedResult(let expected, let got): "The query returned a \(got) where a \(expected) was expected."
        case .invalidRequest(let reason): reason
        case .cancelled: "The request was cancelled."
        }
    }

    /// Detail for logs; may include upstream addresses and messages.
    public var description: String {
        switch self {
        case .unreachable(let reason): "Prometheus is unreachable: \(reason)"
        case .timeout: "Prometheus did not answer in time"
        case .rejected(let status, let type, let message): "Prometheus rejected the request (\(status) \(type)): \(message)"
        case .malformedResponse(let reason): "Prometheus sent an answer that could not be read: \(reason)"
        case .badResponse(let status): "Prometheus answered HTTP \(status) without an error envelope"
        case .tooLarge(let limit): "Prometheus answer exceeds \(limit) bytes"
        case .unexpectedResult(let expected, let got): "expected a \(expected) result, got \(got)"
        case .invalidRequest(let reason): "request refused before sending: \(reason)"
        case .cancelled: "request cancelled"
        }
    }

    /// The error for a non-200 answer: the backend's envelope when there is one, else the status.
    ///
    /// Prometheus answers 400 `bad_data` and 422 `execution` for queries it will not run, 503
    /// `timeout` when evaluation ran past its limit (mapped to `.timeout`, like a 504 from a
    /// gateway), 503 `canceled`/`unavailable` and 500 `internal` when it failed itself.
    static func classify(status: Int, body: Data) -> PrometheusClientError {
        if let envelope = try? JSONDecoder().decode(ErrorEnvelope.self, from: body), let type = envelope.errorType {
            if type == "timeout" { return .timeout }
            return .rejected(status: status, errorType: type, message: envelope.error ?? "")
        }
        if status == 504 { return .timeout }
        return .badResponse(status: status)
    }

    /// `errorType` is upstream text: keep it only when it looks like an identifier.
    private static func safe(_ type: String) -> String {
        let ok = !type.isEmpty && type.count <= 32 && type.allSatisfy { $0.isLetter || $0 == "_" }
        return ok ? type : "error"
    }
}
