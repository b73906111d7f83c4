import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Store
import Testing

/// `/api/v1/factory/validate` and its saved runs (issue 18).
@Suite("Validate API")
struct ValidateRoutesTests {
    @Test("admins run it and read their runs; members 403; another tenant's run 404; operators see every run")
    func runsAndRoles() async throws {
        let fleet = try await TestFleet.make()
        // No metrics backend: the run still answers, with the backend check red and its hint.
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let run = try await client.execute(uri: "/api/v1/factory/validate", method: .post, headers: .bearer(fleet.keys["acme-admin"]))
            #expect(run.status == .created, "\(run.text)")
            #expect(run.object["scope"] as? String == "tenant")
            #expect(run.object["tenant"] as? String == "acme")
            #expect(run.object["status"] as? String == "fail")
            #expect(run.object["nodes"] as? [String] == ["acme-1"])
            let checks = try #require(run.object["checks"] as? [[String: Any]])
            let backend = try #require(checks.first)
            #expect(backend["id"] as? String == "backend.configured" && backend["status"] as? String == "fail")
            #expect((backend["hint"] as? String)?.contains("--prometheus-url") == true)
            let id = try #require(run.object["id"] as? String)

            #expect(try await client.execute(uri: "/api/v1/factory/validate", method: .post, headers: .bearer(fleet.keys["acme-member"])).status == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/factory/validate/runs", method: .get, headers: .bearer(fleet.keys["acme-member"])).status == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/factory/validate", method: .post, headers: [:]).status == .unauthorized)

            let mine = try await client.execute(uri: "/api/v1/factory/validate/runs", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
            let listed = try #require(mine.object["runs"] as? [[String: Any]])
            #expect(listed.map { $0["id"] as? String } == [id])
            #expect(listed.first?["checks"] == nil, "the list leaves the checks out")
            let one = try await client.execute(uri: "/api/v1/factory/validate/runs/\(id)", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
            #expect((one.object["checks"] as? [Any])?.count == checks.count)

            #expect(try await client.execute(uri: "/api/v1/factory/validate/runs/\(id)", method: .get, headers: .bearer(fleet.keys["globex-admin"])).status == .notFound)
            let theirs = try await client.execute(uri: "/api/v1/factory/validate/runs", method: .get, headers: .bearer(fleet.keys["globex-admin"]))
            #expect((theirs.object["runs"] as? [Any])?.isEmpty == true)

            let fleetRun = try await client.execute(uri: "/api/v1/factory/validate", method: .post, headers: .bearer(fleet.keys["operator"]))
            #expect(fleetRun.object["scope"] as? String == "fleet")
            #expect(fleetRun.object["tenant"] == nil)
            #expect(fleetRun.object["nodes"] as? [String] == ["acme-1", "globex-1"])
            let all = try await client.execute(uri: "/api/v1/factory/validate/runs", method: .get, headers: .bearer(fleet.keys["operator"]))
            #expect((all.object["runs"] as? [Any])?.count == 2)
            #expect(try await client.execute(uri: "/api/v1/factory/validate/runs/vr_nope", method: .get, headers: .bearer(fleet.keys["operator"])).status == .notFound)
        }
        await fleet.close()
    }
}
