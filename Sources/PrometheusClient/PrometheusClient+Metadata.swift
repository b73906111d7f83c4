public import Foundation
public import PromQL

extension PrometheusClient {
    /// Label sets of the series matching any of `match` (`/api/v1/series`), sent as a form body.
    ///
    /// Each selector is a `ScopedQuery`, so only the caller's tenant's series can match.
    /// `start`/`end` narrow the search; without them the backend picks its default window.
    public func series(match: [ScopedQuery], start: Date? = nil, end: Date? = nil) async throws(PrometheusClientError) -> [[String: String]] {
        let form = try Self.matchForm(match, start: start, end: end, what: "series") + queryParameters
        let body = try await post("/api/v1/series", form: form)
        return try Self.decodePayload([[String: String]].self, from: body)
    }

    /// Label names present on the series matching any of `match` (`/api/v1/labels`), sorted.
    ///
    /// `match` may not be empty: without it the backend lists every tenant's label names.
    public func labels(match: [ScopedQuery], start: Date? = nil, end: Date? = nil) async throws(PrometheusClientError) -> [String] {
        let form = try Self.matchForm(match, start: start, end: end, what: "label names") + queryParameters
        let body = try await post("/api/v1/labels", form: form)
        return try Self.decodePayload([String].self, from: body).sorted()
    }

    /// Values of label `name` on the series matching any of `match`
    /// (`/api/v1/label/<name>/values`), sorted.
    ///
    /// `match` may not be empty: without it the tenant label's values would list every tenant.
    /// The endpoint only answers GET, so the selectors travel in the query string.
    public func labelValues(_ name: String, match: [ScopedQuery], start: Date? = nil, end: Date? = nil) async throws(PrometheusClientError) -> [String] {
        guard Self.isValidLabelName(name) else {
            throw .invalidRequest("\"\(name.prefix(64))\" is not a valid label name.")
        }
        let parameters = try Self.matchForm(match, start: start, end: end, what: "label values") + queryParameters
        let body = try await fetch("/api/v1/label/\(name)/values", parameters: parameters)
        return try Self.decodePayload([String].self, from: body).sorted()
    }

    /// `match[]` parameters plus optional `start`/`end`; refuses an empty selector list.
    static func matchForm(_ match: [ScopedQuery], start: Date?, end: Date?, what: String) throws(PrometheusClientError) -> [(String, String)] {
        guard !match.isEmpty else {
            throw .invalidRequest("A request for \(what) needs at least one tenant-scoped selector.")
        }
        var form = match.map { ("match[]", $0.text) }
        if let start { form.append(("start", format(start))) }
        if let end { form.append(("end", format(end))) }
        return form
    }

    /// Prometheus' classic label name syntax, `[a-zA-Z_][a-zA-Z0-9_]*`; keeps the path segment safe.
    static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }
}
