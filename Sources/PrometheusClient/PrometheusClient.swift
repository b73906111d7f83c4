public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PromQL

/// Reads the Prometheus HTTP API (`/api/v1/...`) of Prometheus, Thanos, VictoriaMetrics or Mimir.
///
/// Every method that evaluates or selects series takes a checked query type: a tenant read takes
/// a `ScopedQuery` (only `PromQL.TenantScope` creates one, always with the tenant's matcher), the
/// fleet read a `FleetQuery`, the pool read a `PoolAggregateQuery`. Code that tries to send an
/// unscoped string, or a node- or pool-only query to a tenant read, does not compile, so tenant
/// isolation is a property of the types rather than of call-site discipline.
///
/// The client is a value: configure it once (`baseURL`, `basePath`, `headers`), copy it freely
/// across tasks, and derive variants with `withTimeout(_:)`. Each request has one overall
/// deadline covering connect, response head and body, and each body is capped at
/// `maxResponseBytes` so one enormous answer becomes `.tooLarge` instead of an out-of-memory kill.
/// Failures are typed (`PrometheusClientError`) so callers can tell "upstream down or slow"
/// (serve the last good data, marked stale) from "this request is wrong" (report it).
///
/// - Important: `description`s of errors may contain upstream addresses and are for logs only;
///   show people `PrometheusClientError.userMessage`.
public struct PrometheusClient: Sendable {
    /// Scheme, host and port (and optionally a path prefix), e.g. `http://127.0.0.1:9090`.
    public var baseURL: String
    /// Path prefix in front of `/api/v1/...`: empty for Prometheus and Thanos,
    /// `/select/0/prometheus` for the VictoriaMetrics cluster's vmselect, `/prometheus` for Mimir.
    public var basePath: String
    /// Headers sent with every request, e.g. `X-Scope-OrgID` for Mimir/Cortex or `Authorization`.
    public var headers: [(String, String)]
    /// Extra parameters appended to query, range, series and label requests, for backend quirks:
    /// Thanos `dedup=true` and `partial_response=false` (a partial answer would read as data loss),
    /// VictoriaMetrics `nocache=1`.
    public var queryParameters: [(String, String)]
    /// Overall deadline of one request (connect, head and body). Also sent to the backend as the
    /// `timeout` parameter of queries, so it stops evaluating a query nobody waits for any more.
    public var timeout: Duration
    /// Largest response body accepted; a larger one fails with `.tooLarge` before it is buffered.
    public var maxResponseBytes: Int
    let http: HTTPClient

    /// - Parameters:
    ///   - baseURL: scheme, host and port; a trailing `/` is ignored.
    ///   - basePath: prefix of the API paths (see `basePath`); leading `/` optional.
    ///   - headers: sent with every request.
    ///   - queryParameters: appended to query, range, series and label requests.
    ///   - timeout: overall deadline of each request.
    ///   - maxResponseBytes: body size cap (64 MiB by default).
    ///   - http: the shared client; tests and servers pass their own to control its lifetime.
    public init(
        baseURL: String,
        basePath: String = "",
        headers: [(String, String)] = [],
        queryParameters: [(String, String)] = [],
        timeout: Duration = .seconds(10),
        maxResponseBytes: Int = 64 << 20,
        http: HTTPClient = .prometheus
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.basePath = Self.normalise(basePath: basePath)
        self.headers = headers
        self.queryParameters = queryParameters
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.http = http
    }

    /// A copy whose requests use `timeout` instead, e.g. a short deadline for a live page refresh.
    public func withTimeout(_ timeout: Duration) -> PrometheusClient {
        var copy = self
        copy.timeout = timeout
        return copy
    }

    /// Whether the backend is ready: `/-/ready` under the base path answers 200, or, for backends
    /// that do not serve it there (Mimir 404, VictoriaMetrics 400), the build-info endpoint
    /// answers. Prometheus answers its API with 503 until it is ready, so the fallback does not
    /// report a starting Prometheus as ready. Unreachable means not ready, at once.
    public func isReady() async -> Bool {
        let probe = withTimeout(min(timeout, .seconds(2)))
        let request = makeRequest(path: "/-/ready", method: .GET)
        do {
            if try await probe.send(request).status == .ok { return true }
        } catch {
            return false
        }
        return (try? await probe.buildInfo()) != nil
    }

    /// `basePath` with one leading `/` and no trailing one (`""` stays empty).
    static func normalise(basePath: String) -> String {
        let trimmed = basePath.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
        return trimmed.isEmpty ? "" : "/" + trimmed
    }

    /// A request for `path` under `baseURL + basePath`, carrying the configured headers.
    ///
    /// Answers come uncompressed unless a configured header asks otherwise
    /// (`serve --prometheus-header 'Accept-Encoding: gzip'` for a backend across a slow link).
    /// Without this the client's decompressor asks for `deflate, gzip`: Prometheus then spends
    /// ~10 ms compressing a 300 KB range answer that we inflate again at once, which made a
    /// relayed dashboard query 4× slower than the same query sent straight to Prometheus
    /// (docs/PROMETHEUS-API.md, "Performance").
    func makeRequest(path: String, method: HTTPMethod) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + basePath + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !request.headers.contains(name: "Accept-Encoding") {
            request.headers.add(name: "Accept-Encoding", value: "identity")
        }
        return request
    }

    /// POSTs an `application/x-www-form-urlencoded` body and returns the body of a 200 answer.
    ///
    /// A form body, not a query string, so a long query never meets a URL length limit.
    func post(_ path: String, form: [(String, String)]) async throws(PrometheusClientError) -> Data {
        var request = makeRequest(path: path, method: .POST)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: Self.formEncode(form)))
        return try await successBody(of: request)
    }

    /// GETs `path` with `parameters` in the query string and returns the body of a 200 answer.
    func fetch(_ path: String, parameters: [(String, String)] = []) async throws(PrometheusClientError) -> Data {
        let query = parameters.isEmpty ? "" : "?" + Self.formEncode(parameters)
        return try await successBody(of: makeRequest(path: path + query, method: .GET))
    }

    /// Sends `request` and returns the body when the status is 200; any other status is mapped
    /// to the error that tells the caller how to react (`PrometheusClientError.classify`).
    func successBody(of request: HTTPClientRequest) async throws(PrometheusClientError) -> Data {
        let answer = try await send(request)
        guard answer.status == .ok else {
            throw PrometheusClientError.classify(status: Int(answer.status.code), body: answer.body)
        }
        return answer.body
    }
}
