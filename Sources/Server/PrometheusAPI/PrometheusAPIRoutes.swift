import Factory
import Foundation
import Hummingbird
import NIOCore
import PrometheusClient

/// The tenant-scoped Prometheus HTTP API, `/prometheus/api/v1/…`: point a tenant's Grafana or
/// promtool at `<server>/prometheus` with the tenant's API key and it sees that tenant's series
/// only (docs/PROMETHEUS-API.md).
///
/// Each route is parse → one `ReadModel.prometheusAPI` call → Prometheus's JSON as it came. GET
/// and POST (a form body, as Grafana and promtool send) are both answered. The key comes as
/// `Authorization: Bearer <key>` or as the basic-auth password; session cookies are not read
/// here. Every error is Prometheus's error envelope (`PrometheusEnvelopeMiddleware`).
struct PrometheusAPIRoutes {
    /// Where the API is mounted; a Prometheus client's base URL is `<server>/prometheus`.
    static let mount = "prometheus/api/v1"
    /// Largest form body accepted (a query is at most 64 KiB; many `match[]` fit well below).
    static let maxBodyBytes = 1 << 20

    let dependencies: ServerDependencies
    let proxies: TrustedProxies

    func register(on router: Router<AppRequestContext>) {
        let group = router.group(RouterPath(Self.mount))
            .add(middleware: PrometheusEnvelopeMiddleware())
            .add(middleware: AuthMiddleware(
                store: dependencies.store, sessions: dependencies.sessions, limiter: dependencies.limiter, now: dependencies.now,
                proxies: proxies, acceptsBasicAuth: true, acceptsSessionCookie: false))
        let endpoints: [(String, PrometheusAPIRequest.Endpoint)] = [
            ("query", .query), ("query_range", .queryRange), ("query_exemplars", .queryExemplars), ("series", .series),
            ("labels", .labels), ("metadata", .metadata), ("rules", .rules), ("alerts", .alerts),
        ]
        for (path, endpoint) in endpoints {
            group.get(RouterPath(path)) { request, context in try await answer(request, context, endpoint) }
            group.post(RouterPath(path)) { request, context in try await answer(request, context, endpoint) }
        }
        group.get("label/:name/values") { request, context in
            try await answer(request, context, .labelValues(try context.parameters.require("name")))
        }
        group.post("label/:name/values") { request, context in
            try await answer(request, context, .labelValues(try context.parameters.require("name")))
        }
    }

    private func answer(_ request: Request, _ context: AppRequestContext, _ endpoint: PrometheusAPIRequest.Endpoint) async throws -> Response {
        guard let identity = context.identity else {
            throw APIError.unauthorized("missing API key: send it as Authorization: Bearer <key>, or as the basic-auth password (any user name)")
        }
        let parameters = try await Self.parameters(of: request)
        let answer = try await dependencies.readModel.prometheusAPI(identity.caller, PrometheusAPIRequest(endpoint, parameters: parameters))
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: answer.bytes))
    }

    /// The request's parameters as Prometheus reads them (`r.Form`): a POST's form body first,
    /// then the URL's query. A POST body must be `application/x-www-form-urlencoded`.
    static func parameters(of request: Request) async throws -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        if request.method == .post {
            let declared = request.headers[.contentType]
            let mediaType = declared?.split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces).lowercased()
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: maxBodyBytes)
            } catch {
                throw PrometheusAPIError(.badData, "the request body exceeds \(maxBodyBytes) bytes")
            }
            if buffer.readableBytes > 0 {
                guard mediaType == "application/x-www-form-urlencoded" else {
                    throw PrometheusAPIError(.badData, "a POST body must be sent as Content-Type: application/x-www-form-urlencoded" + (declared.map { ", not \($0)" } ?? ""))
                }
                pairs += try decode(String(buffer: buffer), where: "the form body")
            }
        }
        pairs += try decode(request.uri.query ?? "", where: "the URL's query")
        return pairs
    }

    static func decode(_ text: String, where place: String) throws(PrometheusAPIError) -> [(name: String, value: String)] {
        do {
            return try FormParameters.parse(text)
        } catch {
            throw PrometheusAPIError(.badData, "\(place) is not valid form encoding near \"\(error.piece)\" (a broken %-escape or bytes that are not UTF-8)")
        }
    }
}
