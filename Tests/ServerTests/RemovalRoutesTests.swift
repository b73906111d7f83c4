import Fleet
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Store
import Testing

/// `DELETE /api/v1/admin/nodes/{name}` and `…/subscriptions/{id}` (issue 20): operators only;
/// the node leaves service discovery and its agent's credential stops working; audited.
@Suite("Removal routes")
struct RemovalRoutesTests {
    @Test("remove a node (it leaves SD, its agent is refused) and a subscription; 403 for others, 404 unknown, 409 in use")
    func removal() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let credential = try await DiagnosticsRoutesTests.enrolAgent(client, fleet)
            func sdNodes() async throws -> [String] {
                try await client.execute(uri: "/sd/prometheus", method: .get, headers: .bearer("sd-secret")).array
                    .compactMap { ($0["labels"] as? [String: String])?["node"] }
            }
            #expect(try await sdNodes().contains("h200-a"))
            func remove(_ path: String, _ key: String?) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/admin/\(path)", method: .delete, headers: .bearer(key))
            }
            #expect(try await remove("nodes/h200-a", fleet.keys["acme-admin"]).status == .forbidden, "operators only")
            #expect(try await remove("nodes/nowhere-1", fleet.keys["operator"]).status == .notFound)

            // An active load test keeps the node: 409 naming it.
            let user = try #require(fleet.users["acme-admin"])
            let test = try await fleet.store.createLoadTest(tenant: "acme", node: "h200-a", requestedBy: user.id, plan: "{}")
            let busy = try await remove("nodes/h200-a", fleet.keys["operator"])
            #expect(busy.status == .conflict && busy.text.contains(test.id), "\(busy.text)")
            _ = try await fleet.store.updateLoadTest(id: test.id, LoadTestUpdate(status: .failed, error: "test"))

            #expect(try await remove("nodes/h200-a", fleet.keys["operator"]).status == .noContent)
            #expect(try await !sdNodes().contains("h200-a"), "it leaves the SD list")
            let heartbeat = try await client.execute(
                uri: "/api/v1/agent/heartbeat", method: .post, headers: .json(bearer: credential),
                body: body(["agentVersion": "1", "intervalSeconds": 15]))
            #expect(heartbeat.status == .unauthorized, "its agent's credential stops working")

            let subscription = try #require(try await fleet.store.subscriptions(tenant: "umbrella").first)
            #expect(try await remove("subscriptions/\(subscription.id)", fleet.keys["umbrella-admin"]).status == .forbidden)
            #expect(try await remove("subscriptions/\(subscription.id)", fleet.keys["operator"]).status == .noContent)
            #expect(try await remove("subscriptions/\(subscription.id)", fleet.keys["operator"]).status == .notFound)
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(fleet.keys["umbrella-member"]))
            #expect(me.object["role"] as? String == "none", "without its subscription umbrella consumes nothing")

            let audit = try await fleet.store.auditLog(limit: 50).map(\.action)
            #expect(audit.contains("node.remove") && audit.contains("subscription.remove"))
        }
        await fleet.close()
    }
}
