import Factory
import Hummingbird

/// `GET alerts[?node=]` (mounted under `/api/v1/factory`): the active alerts the caller may see.
///
/// The filter (tenant label, operator-only pipeline alerts, `?node=` narrowing) is
/// `Factory.AlertVisibility`; a node the caller does not hold answers 404 exactly like an unknown
/// one, and Prometheus down or misbehaving answers 503 (the detail goes to the log only).
struct AlertRoutes {
    let dependencies: ServerDependencies

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("alerts") { request, context -> Response in
            let caller = try context.requireCaller()
            let node = request.uri.queryParameters.get("node")
            return try await dependencies.readModel.alerts(caller, node: node).jsonResponse()
        }
    }
}
