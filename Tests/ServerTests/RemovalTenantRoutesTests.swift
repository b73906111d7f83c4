import Fleet
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Store
import Testing

/// `DELETE /api/v1/admin/{tenants/{name},pools/{name},users/{id}}` and the audit log's filters
/// (issue 20): who may, what a 409 says, and that a removed user's key gets 401.
@Suite("Removal routes: tenants, pools, users; audit filters")
struct RemovalTenantRoutesTests {
    @Test("tenants and pools: operators only, 409 naming what is left; users: tenant admins for their own, never themselves; audit filters")
    func removals() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            func remove(_ path: String, _ who: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/admin/\(path)", method: .delete, headers: .bearer(fleet.keys[who]))
            }
            #expect(try await remove("tenants/hooli", "acme-admin").status == .forbidden)
            #expect(try await remove("pools/shared", "acme-admin").status == .forbidden)
            let held = try await remove("tenants/acme", "operator")
            #expect(held.status == .conflict && held.text.contains("acme-1"), "\(held.text)")
            let used = try await remove("pools/shared", "operator")
            #expect(used.status == .conflict && used.text.contains("globex-1"), "\(used.text)")
            #expect(try await remove("tenants/nowhere", "operator").status == .notFound)
            #expect(try await remove("tenants/Bad%20Name", "operator").status == .unprocessableContent)

            // hooli holds nothing: it goes with its users, whose keys then get 401.
            #expect(try await remove("tenants/hooli", "operator").status == .noContent)
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(fleet.keys["hooli-admin"]))
            #expect(me.status == .unauthorized, "a removed tenant's keys stop working")

            // Users: a tenant admin removes its own members; another tenant's user is a 404.
            let acmeMember = try #require(fleet.users["acme-member"])
            let globexMember = try #require(fleet.users["globex-member"])
            let acmeAdmin = try #require(fleet.users["acme-admin"])
            let operatorUser = try #require(fleet.users["operator"])
            #expect(try await remove("users/\(globexMember.id)", "acme-admin").status == .notFound)
            #expect(try await remove("users/\(acmeAdmin.id)", "acme-admin").status == .conflict, "not yourself")
            #expect(try await remove("users/\(operatorUser.id)", "acme-admin").status == .notFound, "operators are not a tenant's")
            #expect(try await remove("users/\(acmeMember.id)", "acme-member").status == .forbidden)
            #expect(try await remove("users/\(acmeMember.id)", "acme-admin").status == .noContent)
            let gone = try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(gone.status == .unauthorized)

            func audit(_ query: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/admin/audit?\(query)", method: .get, headers: .bearer(fleet.keys["operator"]))
            }
            let removed = try await audit("action=tenant.remove")
            #expect(removed.status == .ok)
            #expect(removed.array.compactMap { $0["target"] as? String } == ["hooli"])
            let family = try await audit("action=user.&actor=acme-admin").array.compactMap { $0["target"] as? String }
            #expect(family == [acmeMember.id])
            #expect(try await audit("since=yesterday").status == .badRequest)
            #expect(try await audit("limit=0").status == .badRequest)
            #expect(try await audit("before=x").status == .badRequest)
            #expect(try await audit("since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z").status == .badRequest)
            #expect(try await audit("action=\(String(repeating: "a", count: 101))").status == .badRequest)
            #expect(try await audit("actor=a%01b").status == .badRequest)
            #expect(try await client.execute(uri: "/api/v1/admin/audit", method: .get, headers: .bearer(fleet.keys["acme-admin"])).status == .forbidden)
        }
        await fleet.close()
    }
}
