import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Testing
import Fleet
import Store

@Suite("Admin API")
struct AdminRoutesTests {
    @Test("members get 403 on admin routes; tenant admins get 403 on operator routes")
    func forbidden() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let asMember = try await client.execute(uri: "/api/v1/admin/users", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(asMember.status == .forbidden)
            let tenantAdmin = try await client.execute(uri: "/api/v1/admin/tenants", method: .post, headers: .json(bearer: fleet.keys["acme-admin"]), body: body(["name": "evil"]))
            #expect(tenantAdmin.status == .forbidden)
            try #expect(await client.execute(uri: "/api/v1/admin/users", method: .get).status == .unauthorized)
        }
        await fleet.close()
    }

    @Test("another tenant's node, user or key answers 404, never 403")
    func noExistenceLeak() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        let globexMember = try #require(fleet.users["globex-member"])
        let globexKey = try #require(try await fleet.store.apiKeys(userID: globexMember.id).first?.id)
        try await app.test(.router) { client in
            let acme = HTTPFields.json(bearer: fleet.keys["acme-admin"])
            let foreignNode = try await client.execute(uri: "/api/v1/nodes/globex-1", method: .get, headers: acme)
            let missingNode = try await client.execute(uri: "/api/v1/nodes/does-not-exist", method: .get, headers: acme)
            #expect(foreignNode.status == .notFound)
            #expect(foreignNode.text == missingNode.text.replacingOccurrences(of: missingNode.object["error"].flatMap { ($0 as? [String: Any])?["requestId"] as? String } ?? "", with: foreignNode.object["error"].flatMap { ($0 as? [String: Any])?["requestId"] as? String } ?? ""))
            try #expect(await client.execute(uri: "/api/v1/nodes/acme-1", method: .get, headers: acme).status == .ok)
            try #expect(await client.execute(uri: "/api/v1/admin/users/\(globexMember.id)/keys", method: .post, headers: acme, body: body([:])).status == .notFound)
            try #expect(await client.execute(uri: "/api/v1/admin/keys/\(globexKey)", method: .delete, headers: acme).status == .notFound)
            // The consumer sees no node at all, including the provider's node in its pool.
            let consumerNodes = try await client.execute(uri: "/api/v1/nodes", method: .get, headers: .bearer(fleet.keys["umbrella-admin"]))
            #expect(consumerNodes.array.isEmpty)
            try #expect(await client.execute(uri: "/api/v1/nodes/globex-1", method: .get, headers: .bearer(fleet.keys["umbrella-admin"])).status == .notFound)
        }
        // The foreign key is still valid: a refused revoke changed nothing.
        #expect(try await fleet.store.apiKeys(userID: globexMember.id).first?.revokedAt == nil)
        await fleet.close()
    }

    @Test("connect a GPU: tenant, user, key, pool, subscription, node — each audited")
    func connectFlow() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let op = HTTPFields.json(bearer: fleet.keys["operator"])
            try #expect(await client.execute(uri: "/api/v1/admin/tenants", method: .post, headers: op, body: body(["name": "initech", "displayName": "Initech"])).status == .created)
            let user = try await client.execute(uri: "/api/v1/admin/users", method: .post, headers: op, body: body(["name": "peter", "tenant": "initech", "kind": "tenant-admin"]))
            #expect(user.status == .created)
            let userID = try #require(user.object["id"] as? String)
            let key = try await client.execute(uri: "/api/v1/admin/users/\(userID)/keys", method: .post, headers: op, body: body(["label": "laptop"]))
            #expect(key.status == .created)
            let plaintext = try #require(key.object["apiKey"] as? String)
            // Shown once: listing keys never returns the plaintext or a hash.
            let listed = try await client.execute(uri: "/api/v1/admin/users/\(userID)/keys", method: .get, headers: op)
            #expect(!listed.text.contains(plaintext))
            #expect(!listed.text.lowercased().contains("hash"))
            try #expect(await client.execute(uri: "/api/v1/admin/pools", method: .post, headers: op, body: body(["name": "big-pool"])).status == .created)
            let node = try await client.execute(uri: "/api/v1/admin/nodes", method: .post, headers: op, body: body([
                "name": "initech-1", "host": "gpu1.initech", "dcgmAddress": "10.0.0.5:9400", "gpuModel": "NVIDIA RTX 6000 Ada Generation",
                "gpuCount": 2, "gpuMemoryMiB": 49140, "tenant": "initech", "pool": "big-pool",
            ]))
            #expect(node.status == .created, "\(node.text)")
            #expect(node.object["gpuClass"] as? String == "ada-48")
            try #expect(await client.execute(uri: "/api/v1/admin/subscriptions", method: .post, headers: op, body: body(["tenant": "hooli", "pool": "big-pool", "plan": "pro", "tokenQuota": 5000])).status == .created)
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(plaintext))
            #expect(me.object["role"] as? String == "provider")
            let audit = try await client.execute(uri: "/api/v1/admin/audit", method: .get, headers: op)
            let actions = audit.array.compactMap { $0["action"] as? String }
            for action in ["tenant.create", "user.create", "key.create", "pool.create", "node.register", "subscription.create"] {
                #expect(actions.contains(action), "missing audit \(action)")
            }
            #expect(!audit.text.contains(plaintext))
        }
        await fleet.close()
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        var uri: String
        var payload: [String: any Sendable]
        var status: HTTPResponse.Status
        var mentions: String
        var testDescription: String { "\(uri) \(mentions) → \(status.code)" }
    }

    @Test("bad input answers 409/422/400 naming the problem and stores nothing", arguments: [
        BadInput(uri: "/api/v1/admin/tenants", payload: ["name": "acme"], status: .conflict, mentions: "acme"),
        BadInput(uri: "/api/v1/admin/tenants", payload: ["name": "Bad Name!"], status: .unprocessableContent, mentions: "name"),
        BadInput(uri: "/api/v1/admin/tenants", payload: ["name": "ok", "colour": "red"], status: .unprocessableContent, mentions: "colour"),
        BadInput(uri: "/api/v1/admin/tenants", payload: ["displayName": "x"], status: .unprocessableContent, mentions: "name"),
        BadInput(uri: "/api/v1/admin/tenants", payload: ["name": 42], status: .unprocessableContent, mentions: "name"),
        BadInput(uri: "/api/v1/admin/pools", payload: ["name": "shared"], status: .conflict, mentions: "shared"),
        BadInput(uri: "/api/v1/admin/users", payload: ["name": "x", "tenant": "acme", "kind": "king"], status: .unprocessableContent, mentions: "kind"),
        BadInput(uri: "/api/v1/admin/subscriptions", payload: ["tenant": "hooli", "pool": "shared", "plan": "p", "tokenQuota": -1], status: .unprocessableContent, mentions: "tokenQuota"),
        BadInput(uri: "/api/v1/admin/nodes", payload: [
            "name": "n9", "host": "h", "dcgmAddress": "1.2.3.4:9400", "gpuModel": "Mystery GPU", "gpuCount": 1, "gpuMemoryMiB": 1000, "tenant": "acme",
        ], status: .unprocessableContent, mentions: "gpuClass"),
        BadInput(uri: "/api/v1/admin/nodes", payload: [
            "name": "n9", "host": "h", "dcgmAddress": "1.2.3.4:9400", "gpuModel": "NVIDIA H100 80GB HBM3", "gpuCount": 0, "gpuMemoryMiB": 81559, "tenant": "acme",
        ], status: .unprocessableContent, mentions: "gpuCount"),
        BadInput(uri: "/api/v1/admin/nodes", payload: [
            "name": "acme-1", "host": "h", "dcgmAddress": "1.2.3.4:9400", "gpuModel": "NVIDIA H100 80GB HBM3", "gpuCount": 1, "gpuMemoryMiB": 81559, "tenant": "acme",
        ], status: .conflict, mentions: "acme-1"),
    ])
    func badInput(_ row: BadInput) async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        let before = (try await fleet.store.tenants().count, try await fleet.store.nodes().count, try await fleet.store.pools().count)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: row.uri, method: .post, headers: .json(bearer: fleet.keys["operator"]), body: body(row.payload))
            #expect(response.status == row.status, "\(response.text)")
            #expect(response.errorMessage?.contains(row.mentions) == true, "\(response.text)")
        }
        let after = (try await fleet.store.tenants().count, try await fleet.store.nodes().count, try await fleet.store.pools().count)
        #expect(before == after)
        await fleet.close()
    }

    @Test("a body that is not a JSON object is a 400")
    func notJSON() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/admin/tenants", method: .post, headers: .json(bearer: fleet.keys["operator"]), body: ByteBuffer(string: "[1,2"))
            #expect(response.status == .badRequest)
        }
        await fleet.close()
    }
}
