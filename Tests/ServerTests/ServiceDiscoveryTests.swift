import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing

@Suite("GET /sd/prometheus")
struct ServiceDiscoveryTests {
    @Test("needs its own token; a user's API key is not enough")
    func token() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            try #expect(await client.execute(uri: "/sd/prometheus", method: .get).status == .unauthorized)
            try #expect(await client.execute(uri: "/sd/prometheus", method: .get, headers: .bearer(fleet.keys["operator"])).status == .unauthorized)
            try #expect(await client.execute(uri: "/sd/prometheus", method: .get, headers: .bearer("sd-secret")).status == .ok)
            try #expect(await client.execute(uri: "/sd/prometheus?exporter=ssh", method: .get, headers: .bearer("sd-secret")).status == .badRequest)
        }
        await fleet.close()
    }

    @Test("one target group per node exporter, labelled from the inventory")
    func groups() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/sd/prometheus", method: .get, headers: .bearer("sd-secret"))
            let groups = response.array
            #expect(groups.count == 2)
            let labels = groups.compactMap { $0["labels"] as? [String: String] }
            let acme = try #require(labels.first { $0["node"] == "acme-1" })
            // A dedicated node carries the reserved pool value, so its exporter cannot bring a
            // `pool` of its own (finding 5 of the security review: forged pool utilisation).
            #expect(acme == [
                "__metrics_path__": "/nodes/acme-1/dcgm/metrics", "tenant": "acme", "node": "acme-1", "gpu_class": "ada-16",
                "pool": "_dedicated",
            ])
            let globex = try #require(labels.first { $0["node"] == "globex-1" })
            #expect(globex["tenant"] == "globex")
            #expect(globex["pool"] == "shared")
            #expect(groups.allSatisfy { ($0["targets"] as? [String]) == ["127.0.0.1:9400"] })
            // No node serves vLLM in this fleet.
            let vllm = try await client.execute(uri: "/sd/prometheus?exporter=vllm", method: .get, headers: .bearer("sd-secret"))
            #expect(vllm.text == "[]")
        }
        await fleet.close()
    }
}
