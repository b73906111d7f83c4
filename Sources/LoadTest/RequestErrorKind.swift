/// Why a request did not complete, counted separately because each points at a different cause.
///
/// The raw values are the keys of `error_summary` in the JSON export.
public enum RequestErrorKind: String, CaseIterable, Codable, Sendable, Hashable {
    /// The server answered 5xx: it is failing, not merely busy.
    case http5xx = "http_5xx"
    /// The server answered 429: its queue is full (load shedding).
    case rateLimited = "http_429"
    /// Any other non-200 status (4xx): usually a wrong model name or URL.
    case http4xx = "http_4xx"
    /// No connection or no response head: refused, reset before the answer, DNS, TLS.
    case connect
    /// The stream broke after the head: connection closed before `[DONE]`.
    case midStreamDisconnect = "mid_stream_disconnect"
    /// An event's data was neither JSON nor `[DONE]`.
    case malformedSSE = "malformed_sse"
    /// The per-request deadline passed.
    case timeout

    /// Words for the progress line and the summary.
    public var label: String {
        switch self {
        case .http5xx: "HTTP 5xx"
        case .rateLimited: "HTTP 429"
        case .http4xx: "HTTP 4xx"
        case .connect: "connect"
        case .midStreamDisconnect: "mid-stream disconnect"
        case .malformedSSE: "malformed SSE"
        case .timeout: "timeout"
        }
    }
}
