import Fleet
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PrometheusClient
@testable import Server
import Store
import Testing

/// Finding 9: the small ones (user-name existence across tenants, no-store, audit of logins and
/// node checks).
@Suite("Finding 9: small ones")
struct Finding9SmallOnesTests {
    @Test("finding 9: a taken user name answers the same whichever tenant holds it, naming no tenant")
    func userNameLeak() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let admin = HTTPFields.json(bearer: fleet.keys["acme-admin"])
            let foreign = try await client.execute(uri: "/api/v1/admin/users", method: .post, headers: admin,
                                                   body: body(["name": "globex-member", "kind": "tenant-member"]))
            let own = try await client.execute(uri: "/api/v1/admin/users", method: .post, headers: admin,
                                               body: body(["name": "acme-member", "kind": "tenant-member"]))
            #expect(foreign.status == .conflict)
            #expect(own.status == .conflict)
            let foreignMessage = try #require(foreign.errorMessage)
            #expect(foreignMessage.replacingOccurrences(of: "globex-member", with: "NAME") == own.errorMessage?.replacingOccurrences(of: "acme-member", with: "NAME"))
            #expect(!foreignMessage.contains("already exists"))
            #expect(!foreignMessage.contains("globex'"))
        }
        await fleet.close()
    }

    @Test("finding 9: every /api/ response carries Cache-Control: no-store, errors included", arguments: [
        "/api/v1/me", "/api/v1/nodes", "/api/v1/nodes/globex-1", "/api/v1/admin/tenants",
    ])
    func noStore(path: String) async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let authorised = try await client.execute(uri: path, method: .get, headers: .bearer(fleet.keys["acme-admin"]))
            #expect(authorised.headers[.cacheControl] == "no-store")
            let anonymous = try await client.execute(uri: path, method: .get)
            #expect(anonymous.headers[.cacheControl] == "no-store")
            try #expect(await client.execute(uri: "/healthz", method: .get).headers[.cacheControl] == nil)
        }
        await fleet.close()
    }

    @Test("finding 9: logins and failed logins are audited")
    func loginsAudited() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            _ = try await Browser.login(client, key: fleet.keys["acme-admin"])
            let failed = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                                  body: body(["apiKey": "aif_000000000000_" + String(repeating: "0", count: 64)]))
            #expect(failed.status == .unauthorized)
        }
        let actions = try await fleet.store.auditLog(limit: 10).map(\.action)
        #expect(actions.contains("session.login"))
        #expect(actions.contains("session.login_failed"))
        let failedEntry = try #require(try await fleet.store.auditLog(limit: 10).first { $0.action == "session.login_failed" })
        #expect(failedEntry.target == "aif_000000000000")
        await fleet.close()
    }
}

extension Finding9SmallOnesTests {
    @Test("finding 9: a node check is audited with who ran it")
    func nodeCheckAudited() async throws {
        let fleet = try await TestFleet.make()
        // A Prometheus nobody listens on: the check reports the failure; the audit row comes first.
        let dependencies = ServerDependencies(store: fleet.store, prometheus: PrometheusClient(baseURL: "http://127.0.0.1:1"))
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: dependencies))
        try await app.test(.router) { client in
            let check = try await client.execute(uri: "/api/v1/admin/nodes/acme-1/check", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
            #expect(check.status == .ok)
        }
        let entry = try #require(try await fleet.store.auditLog(limit: 5).first { $0.action == "node.check" })
        #expect(entry.target == "acme-1")
        #expect(entry.actor.hasPrefix("acme-admin"))
        await fleet.close()
    }
}
