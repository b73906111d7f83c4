import AsyncHTTPClient
public import Foundation
public import PromQL
public import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A read of the Prometheus HTTP API relayed as it is, for the tenant-scoped `/prometheus` API.
///
/// Generic over the query type so the same shape serves a tenant (`RelayRead<ScopedQuery>`) and
/// an operator (`RelayRead<FleetQuery>`); ``PrometheusClient`` accepts only those two, so no
/// unchecked string can travel in `query` or `match[]`.
public enum RelayRead<Query: Sendable>: Sendable {
    /// `/api/v1/query`.
    case query(Query)
    /// `/api/v1/query_range`.
    case queryRange(Query)
    /// `/api/v1/query_exemplars`.
    case queryExemplars(Query)
    /// `/api/v1/series` with these `match[]` selectors (at least one).
    case series([Query])
    /// `/api/v1/labels`; an empty list sends no `match[]` (every series: fleet reads only).
    case labels([Query])
    /// `/api/v1/label/<name>/values`; an empty list as for ``labels(_:)``.
    case labelValues(name: String, [Query])
}

/// A read whose answer cannot be confined by a selector: the caller filters it before showing it.
public enum UnscopedRelayRead: String, Sendable, Hashable {
    /// `/api/v1/metadata` (metric names, types, help).
    case metadata
    /// `/api/v1/rules` (every rule group, with the active alerts of each alerting rule).
    case rules
    /// `/api/v1/alerts` (every active alert).
    case alerts
}

/// What the backend answered to a relayed read: its status and its body, byte for byte.
///
/// The body is kept as the buffer the response was collected into, so the server writes it to
/// its caller without copying it (``bytes``); ``body`` shows the same bytes as `Data` for the
/// readers that filter an answer.
public struct RelayedAnswer: Sendable, Hashable {
    /// 200, or the 4xx of the backend's own error envelope (`bad_data`, `execution`).
    public var status: Int
    /// The backend's JSON, unchanged.
    public var bytes: ByteBuffer

    /// ``bytes`` as `Data`, sharing their storage where the body is large.
    public var body: Data { Data(buffer: bytes, byteTransferStrategy: .automatic) }

    public init(status: Int, body: Data) {
        self.status = status
        self.bytes = ByteBuffer(data: body)
    }

    public init(status: Int, bytes: ByteBuffer) {
        self.status = status
        self.bytes = bytes
    }
}

extension PrometheusClient {
    /// Parameter names a relay never forwards from `parameters`: the selectors travel only as
    /// checked query types.
    static let selectorParameters: Set<String> = ["query", "match[]"]

    /// Relays a tenant's read (every selector carries the tenant's matcher) with the caller's
    /// other parameters (`time`, `start`, `end`, `step`, `limit`, …), answering the backend's JSON.
    ///
    /// The backend's verdict on the request (200, or a 4xx with its error envelope) comes back as
    /// it is; a backend failure (5xx, no envelope, unreachable, slow) is thrown as for every read.
    public func relay(_ read: RelayRead<ScopedQuery>, parameters: [(String, String)]) async throws(PrometheusClientError) -> RelayedAnswer {
        try await relayChecked(read, text: \.text, parameters: parameters)
    }

    /// Relays an operator's read across tenants (``FleetQuery``), as above.
    public func relay(_ read: RelayRead<FleetQuery>, parameters: [(String, String)]) async throws(PrometheusClientError) -> RelayedAnswer {
        try await relayChecked(read, text: \.text, parameters: parameters)
    }

    /// Relays a read no selector confines (metadata, rules, alerts).
    ///
    /// - Important: the answer covers every tenant; the caller must filter it before showing it.
    public func relay(_ read: UnscopedRelayRead, parameters: [(String, String)]) async throws(PrometheusClientError) -> RelayedAnswer {
        try Self.refuseSelectors(parameters)
        return try await exchange(path: "/api/v1/\(read.rawValue)", method: .GET, parameters: parameters)
    }

    /// The one transport of the checked relays; private so that only checked query types reach it.
    private func relayChecked<Query>(
        _ read: RelayRead<Query>, text: (Query) -> String, parameters: [(String, String)]
    ) async throws(PrometheusClientError) -> RelayedAnswer {
        try Self.refuseSelectors(parameters)
        var own = parameters
        let path: String
        var method = HTTPMethod.POST
        switch read {
        case .query(let query):
            path = "/api/v1/query"
            own.insert(("query", text(query)), at: 0)
            if !own.contains(where: { $0.0 == "timeout" }) { own.append(("timeout", Self.format(timeout))) }
        case .queryRange(let query):
            path = "/api/v1/query_range"
            own.insert(("query", text(query)), at: 0)
            if !own.contains(where: { $0.0 == "timeout" }) { own.append(("timeout", Self.format(timeout))) }
        case .queryExemplars(let query):
            path = "/api/v1/query_exemplars"
            own.insert(("query", text(query)), at: 0)
        case .series(let match):
            guard !match.isEmpty else { throw .invalidRequest("A series request needs at least one selector in match[].") }
            path = "/api/v1/series"
            own = match.map { ("match[]", text($0)) } + own
        case .labels(let match):
            path = "/api/v1/labels"
            own = match.map { ("match[]", text($0)) } + own
        case .labelValues(let name, let match):
            guard Self.isValidLabelName(name) else {
                throw .invalidRequest("invalid label name: \"\(name.prefix(64))\"")
            }
            // The endpoint answers GET only.
            path = "/api/v1/label/\(name)/values"
            method = .GET
            own = match.map { ("match[]", text($0)) } + own
        }
        return try await exchange(path: path, method: method, parameters: own + queryParameters)
    }

    /// Sends one relayed request; a 200 or a 4xx carrying the backend's error envelope is the
    /// answer, anything else the error that says the backend failed.
    private func exchange(path: String, method: HTTPMethod, parameters: [(String, String)]) async throws(PrometheusClientError) -> RelayedAnswer {
        var request: HTTPClientRequest
        if method == .POST {
            request = makeRequest(path: path, method: .POST)
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: Self.formEncode(parameters)))
        } else {
            let query = parameters.isEmpty ? "" : "?" + Self.formEncode(parameters)
            request = makeRequest(path: path + query, method: .GET)
        }
        let answer = try await send(request)
        let status = Int(answer.status.code)
        if status == 200 { return RelayedAnswer(status: status, bytes: answer.bytes) }
        let error = PrometheusClientError.classify(status: status, body: answer.body)
        if case .rejected(let rejected, _, _) = error, (400..<500).contains(rejected), rejected != 429 {
            return RelayedAnswer(status: status, bytes: answer.bytes)
        }
        throw error
    }

    static func refuseSelectors(_ parameters: [(String, String)]) throws(PrometheusClientError) {
        if let name = parameters.first(where: { selectorParameters.contains($0.0) })?.0 {
            throw .invalidRequest("\(name) travels only as a checked query, never as a parameter.")
        }
    }
}
