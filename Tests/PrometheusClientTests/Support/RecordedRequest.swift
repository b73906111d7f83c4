import Foundation

/// What the fake Prometheus received, for assertions on the server's side of the wire.
struct RecordedRequest: Sendable {
    var method: String
    /// Path as received, including any base path.
    var path: String
    /// Raw query string (`nil` when absent).
    var query: String?
    /// Header values by lower-cased name.
    var headers: [String: String]
    var body: String

    /// Decoded `name=value` pairs of the form body (or of the query string when the body is empty).
    var form: [(String, String)] {
        let text = body.isEmpty ? (query ?? "") : body
        return text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// Values of form field `name`, in order.
    func values(_ name: String) -> [String] { form.filter { $0.0 == name }.map(\.1) }
}

/// Requests in arrival order.
actor RequestLog {
    private(set) var requests: [RecordedRequest] = []
    func append(_ request: RecordedRequest) { requests.append(request) }
    var last: RecordedRequest? { requests.last }
}
