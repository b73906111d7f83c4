import Foundation
import Hummingbird
import HummingbirdTesting
import PrometheusClient
import Server
import Testing

@Suite("Factory API with no reachable Prometheus")
struct FactoryOutageTests {
    @Test("an outage with no earlier answer is 200: inventory cards, health unknown, stale with a reason")
    func neverAServerError() async throws {
        let fleet = try await TestFleet.make()
        var dependencies = fleet.dependencies()
        // Port 1 on loopback: nothing listens, every read is an upstream outage.
        let unreachable = PrometheusClient(baseURL: "http://127.0.0.1:1", timeout: .seconds(2))
        dependencies = ServerDependencies(
            store: fleet.store, limiter: dependencies.limiter, serviceDiscoveryToken: "sd-secret", prometheus: unreachable
        )
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: dependencies))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/factory/overview", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.object["stale"] as? Bool == true)
            #expect(response.object["health"] as? String == "unknown")
            #expect((response.object["reason"] as? String)?.isEmpty == false)
            #expect(!response.text.contains("127.0.0.1"), "no upstream address in responses")
            let nodes = response.object["nodes"] as? [[String: Any]] ?? []
            #expect(nodes.map { $0["id"] as? String } == ["acme-1"])
            #expect(nodes.first?["health"] as? String == "unknown")
        }
        await fleet.close()
    }
}
