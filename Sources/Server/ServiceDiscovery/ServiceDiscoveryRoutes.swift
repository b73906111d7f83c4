import Foundation
import Hummingbird
import Store

/// `GET /sd/prometheus?exporter=dcgm|vllm`: the inventory as Prometheus `http_sd` target groups.
///
/// Protected by its own bearer token (not a user key): Prometheus holds it in a credentials file,
/// and a leaked SD token reveals the inventory but grants no API access. Compared in constant time.
struct ServiceDiscoveryRoutes {
    let dependencies: ServerDependencies

    func register(on router: Router<AppRequestContext>) {
        router.get("sd/prometheus") { request, _ -> Response in
            guard let expected = dependencies.serviceDiscoveryToken else {
                throw APIError.notFound("service discovery")
            }
            guard let presented = AuthMiddleware.bearerToken(request), Secrets.constantTimeEquals(presented, expected) else {
                throw APIError.unauthorized("service discovery needs its own bearer token")
            }
            let exporterName = request.uri.queryParameters["exporter"].map(String.init) ?? "dcgm"
            guard let exporter = HTTPSDTargetGroup.Exporter(rawValue: exporterName) else {
                throw APIError.badRequest("exporter must be dcgm or vllm, not '\(exporterName)'")
            }
            let nodes = try await dependencies.store.nodes()
            return try HTTPSDTargetGroup.groups(for: nodes, exporter: exporter).jsonResponse()
        }
    }
}
