import Hummingbird
import Factory

/// `GET /api/v1/me`: identity, role and every relationship, resolved on the server
/// (`Factory.ReadModel.me`).
struct MeRoutes {
    let dependencies: ServerDependencies

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("me") { _, context -> Response in
            let caller = try context.requireCaller()
            let features = dependencies.loadTests == nil ? [] : ["loadtests"]
            return try await dependencies.readModel.me(caller, features: features).jsonResponse()
        }
    }
}
