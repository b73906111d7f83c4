import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Testing
import Fleet
import Store

/// `POST /api/v1/admin/nodes/enroll-tokens`, `POST /api/v1/agent/enroll` and `POST /api/v1/agent/heartbeat`.
@Suite("Node enrolment API")
struct EnrolmentRoutesTests {
    static func enrolBody(token: String, name: String = "h200-a", model: String = "NVIDIA H200", memory: Int = 143_771) -> [String: Any] {
        [
            "token": token, "name": name, "host": "\(name).lab", "gpuModel": model, "gpuCount": 1,
            "gpuMemoryMiB": memory, "gpuUUIDs": ["GPU-8c1f3a52-1b6e-4a8e-9d1c-2f5b7e9a4c31"],
            "address": "127.0.0.1:9555", "agentVersion": "0.1.0-test",
        ]
    }

    static var jsonOnly: HTTPFields { [.contentType: "application/json"] }

    @Test("token → enrol → listed in SD with the tenant's labels → heartbeat; the token works once")
    func endToEnd() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let minted = try await client.execute(
                uri: "/api/v1/admin/nodes/enroll-tokens", method: .post, headers: .json(bearer: fleet.keys["acme-admin"]),
                body: body(["tenant": "acme"]))
            #expect(minted.status == .created, "\(minted.text)")
            let token = try #require(minted.object["token"] as? String)
            let command = try #require(minted.object["command"] as? String)
            #expect(command.hasPrefix("aifactory agent --server http"))
            #expect(command.contains("--enroll-token \(token)"))
            let expires = try #require(minted.object["expiresAt"] as? String)
            let expiry = try #require(ISO8601DateFormatter().date(from: expires))
            #expect(abs(expiry.timeIntervalSinceNow - 3600) < 60)

            let enrolled = try await client.execute(uri: "/api/v1/agent/enroll", method: .post, headers: Self.jsonOnly, body: body(Self.enrolBody(token: token)))
            #expect(enrolled.status == .created, "\(enrolled.text)")
            let credential = try #require(enrolled.object["credential"] as? String)
            #expect(enrolled.object["heartbeatSeconds"] as? Int == 30)
            let node = try #require(enrolled.object["node"] as? [String: Any])
            #expect(node["gpuClass"] as? String == "h200-141")
            #expect(node["tenant"] as? String == "acme")
            #expect(node["agentVersion"] as? String == "0.1.0-test")

            let sd = try await client.execute(uri: "/sd/prometheus", method: .get, headers: .bearer("sd-secret"))
            let group = try #require(sd.array.first { ($0["labels"] as? [String: String])?["node"] == "h200-a" })
            #expect(group["targets"] as? [String] == ["127.0.0.1:9555"])
            #expect((group["labels"] as? [String: String])?["tenant"] == "acme")
            #expect((group["labels"] as? [String: String])?["__metrics_path__"] == "/metrics")

            let again = try await client.execute(uri: "/api/v1/agent/enroll", method: .post, headers: Self.jsonOnly, body: body(Self.enrolBody(token: token, name: "h200-b")))
            #expect(again.status == .unauthorized)
            #expect(again.errorMessage?.contains("already used") == true)

            var beat = HTTPFields.json(bearer: credential)
            beat[.contentType] = "application/json"
            let heartbeat = try await client.execute(uri: "/api/v1/agent/heartbeat", method: .post, headers: beat,
                                                     body: body(["agentVersion": "0.1.1", "intervalSeconds": 10]))
            #expect(heartbeat.status == .noContent, "\(heartbeat.text)")
            // The credential is not an API key, and an API key is not a credential.
            try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(credential)).status == .unauthorized)
            try #expect(await client.execute(uri: "/api/v1/agent/heartbeat", method: .post, headers: .json(bearer: fleet.keys["operator"]),
                                             body: body(["agentVersion": "x", "intervalSeconds": 10])).status == .unauthorized)
            let nodes = try await client.execute(uri: "/api/v1/nodes", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
            let listed = try #require(nodes.array.first { $0["name"] as? String == "h200-a" })
            #expect(listed["agentVersion"] as? String == "0.1.1")
            #expect(listed["agentLastSeen"] is String)
        }
        #expect(try await fleet.store.node(named: "h200-b") == nil)
        let actions = try await fleet.store.auditLog(limit: 10).map(\.action)
        #expect(actions.contains("node.enroll-token"))
        #expect(actions.contains("node.enroll"))
        await fleet.close()
    }

    @Test("tenant admins mint for their own tenant only; members cannot; ttl is bounded")
    func mintingRules() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let uri = "/api/v1/admin/nodes/enroll-tokens"
            try #expect(await client.execute(uri: uri, method: .post, headers: .json(bearer: fleet.keys["acme-admin"]), body: body(["tenant": "globex"])).status == .notFound)
            try #expect(await client.execute(uri: uri, method: .post, headers: .json(bearer: fleet.keys["acme-member"]), body: body(["tenant": "acme"])).status == .forbidden)
            try #expect(await client.execute(uri: uri, method: .post, headers: Self.jsonOnly, body: body(["tenant": "acme"])).status == .unauthorized)
            let tooLong = try await client.execute(uri: uri, method: .post, headers: .json(bearer: fleet.keys["operator"]), body: body(["tenant": "acme", "ttlSeconds": 8 * 86_400]))
            #expect(tooLong.status == .unprocessableContent)
            #expect(tooLong.errorMessage?.contains("ttlSeconds") == true)
            let noPool = try await client.execute(uri: uri, method: .post, headers: .json(bearer: fleet.keys["operator"]), body: body(["tenant": "globex", "pool": "nowhere"]))
            #expect(noPool.status == .unprocessableContent)
            #expect(noPool.errorMessage?.contains("pool") == true)
            let pooled = try await client.execute(uri: uri, method: .post, headers: .json(bearer: fleet.keys["operator"]), body: body(["tenant": "globex", "pool": "shared", "ttlSeconds": 600]))
            #expect(pooled.status == .created)
            let token = try #require(pooled.object["token"] as? String)
            let enrolled = try await client.execute(uri: "/api/v1/agent/enroll", method: .post, headers: Self.jsonOnly, body: body(Self.enrolBody(token: token, name: "globex-2")))
            #expect(enrolled.status == .created, "\(enrolled.text)")
            #expect((enrolled.object["node"] as? [String: Any])?["pool"] as? String == "shared")
        }
        #expect(try await fleet.store.enrolmentTokens(tenant: nil).count == 1)
        await fleet.close()
    }

    @Test("bad enrol input: unknown token 401, a field the server cannot use 422 naming it; nothing is stored and the token stays usable")
    func badInput() async throws {
        let fleet = try await TestFleet.make()
        let (_, token) = try await fleet.store.createEnrolmentToken(
            tenant: "acme", pool: nil, createdBy: "test", expiresAt: Date().addingTimeInterval(600), audit: nil)
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let unknown = try await client.execute(uri: "/api/v1/agent/enroll", method: .post, headers: Self.jsonOnly,
                                                   body: body(Self.enrolBody(token: "aife_" + String(repeating: "1", count: 64))))
            #expect(unknown.status == .unauthorized)
            #expect(unknown.errorMessage?.contains("enrolment token") == true)
            let cases: [(String, [String: Any])] = [
                ("gpuModel", Self.enrolBody(token: token, model: "Mystery Accelerator 9000")),
                ("gpuCount", Self.enrolBody(token: token).merging(["gpuCount": 0]) { $1 }),
                ("address", Self.enrolBody(token: token).merging(["address": "no-port"]) { $1 }),
                ("name", Self.enrolBody(token: token).merging(["name": "Bad Name!"]) { $1 }),
                ("gpuMemoryMiB", Self.enrolBody(token: token).merging(["gpuMemoryMiB": "lots"]) { $1 }),
                ("acme-1", Self.enrolBody(token: token, name: "acme-1")),
            ]
            for (field, payload) in cases {
                let response = try await client.execute(uri: "/api/v1/agent/enroll", method: .post, headers: Self.jsonOnly, body: body(payload))
                #expect(response.status == (field == "acme-1" ? .conflict : .unprocessableContent), "\(field): \(response.text)")
                #expect(response.errorMessage?.contains(field) == true, "\(field): \(response.text)")
            }
            let plain = try await client.execute(uri: "/api/v1/agent/enroll", method: .post, headers: [.contentType: "text/plain"],
                                                 body: body(Self.enrolBody(token: token)))
            #expect(plain.status == .unsupportedMediaType)
            // Still unused: the bad attempts consumed nothing.
            try #expect(await client.execute(uri: "/api/v1/agent/enroll", method: .post, headers: Self.jsonOnly, body: body(Self.enrolBody(token: token))).status == .created)
        }
        #expect(try await fleet.store.nodes().map(\.name) == ["acme-1", "globex-1", "h200-a"])
        await fleet.close()
    }

    @Test("failed tokens and credentials are rate limited (429 with Retry-After)")
    func limited() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies(limiter: FailedAuthLimiter(credentialLimit: 3, addressLimit: 4))))
        try await app.test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<4 {
                statuses.append(try await client.execute(
                    uri: "/api/v1/agent/heartbeat", method: .post, headers: .json(bearer: "aifn_" + String(repeating: "2", count: 64)),
                    body: body(["agentVersion": "x", "intervalSeconds": 10])).status)
            }
            #expect(statuses == [.unauthorized, .unauthorized, .unauthorized, .tooManyRequests])
            let limited = try await client.execute(uri: "/api/v1/agent/enroll", method: .post, headers: Self.jsonOnly,
                                                   body: body(Self.enrolBody(token: "aife_" + String(repeating: "3", count: 64))))
            #expect(limited.status == .unauthorized)
            let overAddress = try await client.execute(uri: "/api/v1/agent/enroll", method: .post, headers: Self.jsonOnly,
                                                       body: body(Self.enrolBody(token: "aife_" + String(repeating: "4", count: 64))))
            #expect(overAddress.status == .tooManyRequests)
            #expect(overAddress.headers[.retryAfter] != nil)
        }
        await fleet.close()
    }
}
