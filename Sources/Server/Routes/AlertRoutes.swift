import Fleet
import Foundation
import Hummingbird
import Logging
import PrometheusClient

/// `GET alerts[?node=]` (mounted under `/api/v1/factory`): the active alerts the caller may see.
///
/// Prometheus's alerts API cannot be scoped, so the filter is here and it is the only one:
/// - a tenant's users see alerts whose `tenant` label equals their tenant, nothing else (a pool
///   consumer does not see the provider's hardware alerts);
/// - alerts without a `tenant` label (`Watchdog`, other pipeline checks) are operator-only;
/// - operators see everything.
///
/// `?node=` narrows to one node; a node the caller does not hold answers 404 exactly like an
/// unknown one. Prometheus down or misbehaving answers 503 (the detail goes to the log only).
struct AlertRoutes {
    let dependencies: ServerDependencies

    struct AlertsResponse: Encodable {
        var alerts: [PrometheusAlert]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("alerts") { request, context -> Response in
            let identity = try context.requireIdentity()
            let node = request.uri.queryParameters.get("node")
            if let node {
                guard let record = try await dependencies.store.node(named: node), InventoryRoutes.visible(record, to: identity) else {
                    throw APIError.notFound("node")
                }
            }
            guard let prometheus = dependencies.prometheus else {
                throw APIError.unavailable("no Prometheus is configured")
            }
            let all: [PrometheusAlert]
            do {
                all = try await prometheus.alerts()
            } catch {
                context.logger.warning("reading alerts from Prometheus failed", metadata: ["error": "\(error)"])
                throw APIError.unavailable("Prometheus is unavailable; try again shortly")
            }
            let visible = Self.visible(all, to: identity, node: node)
            return try AlertsResponse(alerts: visible).jsonResponse()
        }
    }

    /// The alerts `identity` may see, narrowed to `node` when given, critical first, then oldest first.
    static func visible(_ alerts: [PrometheusAlert], to identity: Identity, node: String?) -> [PrometheusAlert] {
        alerts
            .filter { alert in
                let tenant = alert.labels["tenant"].flatMap { $0.isEmpty ? nil : $0 }
                if identity.user.isOperator { return true }
                guard let tenant, let own = identity.tenant else { return false }
                return tenant == own
            }
            .filter { alert in node.map { alert.labels["node"] == $0 } ?? true }
            .sorted { lhs, rhs in
                let l = rank(lhs.labels["severity"]), r = rank(rhs.labels["severity"])
                if l != r { return l < r }
                let lt = lhs.activeAt ?? .distantFuture, rt = rhs.activeAt ?? .distantFuture
                if lt != rt { return lt < rt }
                return lhs.name < rhs.name
            }
    }

    private static func rank(_ severity: String?) -> Int {
        switch severity {
        case "critical": 0
        case "warning": 1
        case "info": 2
        default: 3
        }
    }
}
