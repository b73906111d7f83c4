import Fleet
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Store
import Testing

/// Draining a node out of the gateway's routing: the agent with its node credential, admins on
/// the nodes they may manage; every change audited, the state in the store (docs/GATEWAY.md).
@Suite("Drain API")
struct DrainRoutesTests {
    @Test("agent drain/restore with its credential; admins on their nodes, others 404; bad input 401/422; audited; listed per caller")
    func drains() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let credential = try await DiagnosticsRoutesTests.enrolAgent(client, fleet)
            func agent(_ payload: [String: Any], credential: String? = credential) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/agent/drain", method: .post, headers: .json(bearer: credential), body: body(payload))
            }
            let drained = try await agent(["action": "drain", "reason": "diagnostic run d_1"])
            #expect(drained.status == .ok, "\(drained.text)")
            #expect(drained.object["node"] as? String == "h200-a" && drained.object["drained"] as? Bool == true && drained.object["changed"] as? Bool == true)
            #expect(try await fleet.store.nodeDrains().map(\.node) == ["h200-a"])
            #expect(try await agent(["action": "drain"]).object["changed"] as? Bool == false, "already drained")
            let bad = try await agent(["action": "pause"])
            #expect(bad.status == .unprocessableContent && bad.text.contains("action"))
            #expect(try await agent(["action": "restore"], credential: "aifn_" + String(repeating: "0", count: 40)).status == .unauthorized)
            #expect(try await agent(["action": "restore"]).object["changed"] as? Bool == true)
            #expect(try await fleet.store.nodeDrains().isEmpty)

            // Admins: globex's admin drains its pool node; acme's admin gets 404 for it; members 403.
            func admin(_ method: HTTPRequest.Method, _ node: String, _ key: String?, _ payload: [String: Any] = [:]) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/admin/nodes/\(node)/drain", method: method, headers: .json(bearer: key), body: body(payload))
            }
            let globex = try await admin(.put, "globex-1", fleet.keys["globex-admin"], ["reason": "fan swap"])
            #expect(globex.status == .ok && globex.object["changed"] as? Bool == true, "\(globex.text)")
            #expect(try await admin(.put, "globex-1", fleet.keys["acme-admin"]).status == .notFound)
            #expect(try await admin(.delete, "globex-1", fleet.keys["acme-admin"]).status == .notFound)
            #expect(try await admin(.put, "globex-1", fleet.keys["globex-member"]).status == .forbidden)
            #expect(try await admin(.put, "nobody-1", fleet.keys["operator"]).status == .notFound)
            #expect(try await admin(.put, "acme-1", fleet.keys["operator"], ["reason": ""]).status == .unprocessableContent)
            #expect(try await admin(.put, "acme-1", fleet.keys["operator"]).status == .ok)

            let mine = try await client.execute(uri: "/api/v1/admin/drains", method: .get, headers: .bearer(fleet.keys["globex-admin"]))
            #expect(mine.array.map { $0["node"] as? String } == ["globex-1"], "a tenant admin sees its own nodes' drains")
            #expect(mine.array.first?["reason"] as? String == "fan swap")
            let all = try await client.execute(uri: "/api/v1/admin/drains", method: .get, headers: .bearer(fleet.keys["operator"]))
            #expect(all.array.compactMap { $0["node"] as? String } == ["acme-1", "globex-1"])
            #expect(try await admin(.delete, "globex-1", fleet.keys["globex-admin"]).object["changed"] as? Bool == true)

            let audit = try await fleet.store.auditLog(limit: 50).map(\.action)
            #expect(audit.filter { $0 == "node.drain" }.count == 3 && audit.filter { $0 == "node.restore" }.count == 2, "\(audit)")
        }
        await fleet.close()
    }
}
