import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    /// `METHOD /path/{param}` for every operation in the document.
    static func documented(_ data: Data) throws -> Set<String> {
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let paths = try #require(json["paths"] as? [String: [String: Any]])
        var operations: Set<String> = []
        for (path, methods) in paths {
            for method in methods.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    /// `METHOD /path/{param}` for every route the production router answers.
    static func routed(_ router: Router<AppRequestContext>) -> Set<String> {
        Set(router.routes.map { route in
            let path = "/" + String(describing: route.path).split(separator: "/").map { part in
                part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
            }.joined(separator: "/")
            return "\(route.method.rawValue) \(path)"
        })
    }

    @Test("/openapi.json is served and lists exactly the routes the router answers")
    func documentMatchesRouter() async throws {
        let fleet = try await TestFleet.make()
        let router = buildRouter(ServerConfiguration(), dependencies: fleet.dependencies())
        // The page and its static files (WebRoutes) are not API and stay out of the document.
        let routes = Self.routed(router).filter { route in
            let path = String(route.drop { $0 != " " }.dropFirst())
            return !WebRoutes.paths.contains(path) && !WebRoutes.pathPrefixes.contains { path.hasPrefix($0) }
        }
        #expect(routes.count >= 25, "router lists \(routes.count) routes")
        let app = Application(router: router)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            let documented = try Self.documented(Data(response.body.readableBytesView))
            #expect(routes.subtracting(documented).isEmpty, "routes missing from openapi.json: \(routes.subtracting(documented).sorted())")
            #expect(documented.subtracting(routes).isEmpty, "documented but not routed: \(documented.subtracting(routes).sorted())")
        }
        await fleet.close()
    }
}
