import Foundation
import Hummingbird

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
            guard let presented = AuthMiddleware.bearerToken(request), ConstantTime.equal(presented, expected) else {
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

/// Comparison whose duration does not depend on where two secrets first differ.
enum ConstantTime {
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}
