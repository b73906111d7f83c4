import Foundation
import Hummingbird
import HummingbirdTesting
import PromQL
import PrometheusClient
@testable import Server
import Testing

/// Finding 5 of the outside review: a dedicated node's exporter emitted `pool="shared-ada"`, kept
/// it (service discovery set `pool` only on contributed nodes), and moved the consumer's pool
/// utilisation from 43.5 to 73.2 %.
@Suite("Finding 5: forged pool utilisation")
struct Finding5ForgedPoolUtilisationTests {
    @Test("service discovery always sets pool, the reserved value for a dedicated node")
    func discoveryAlwaysSetsPool() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/sd/prometheus", method: .get, headers: .bearer("sd-secret"))
            let labels = response.array.compactMap { $0["labels"] as? [String: String] }
            #expect(labels.count == 2)
            #expect(labels.allSatisfy { $0["pool"] != nil }, "\(labels)")
            #expect(labels.first { $0["node"] == "acme-1" }?["pool"] == ScopeLabel.dedicatedPool)
        }
        await fleet.close()
    }

    @Test("the consumer's pool figure reads only the pool's contributing nodes, so a forged pool label does not move it")
    func forgedLabelDoesNotMoveTheFigure() async throws {
        let fleet = try await TestFleet.make()
        // Prometheus as it was after the forgery: averaged over the pool label alone the figure is
        // 73.2 (acme-1's exporter claims the pool); over the pool's contributing node, 43.5.
        let metrics = RecordingMetrics { text in
            guard text.contains("DCGM_FI_DEV_GPU_UTIL") else { return .vector([]) }
            let honest = text.contains(#"node=~"globex-1""#)
            return .vector([VectorSample(labels: [:], value: honest ? 43.5 : 73.2, timestamp: 0)])
        }
        let dependencies = ServerDependencies(store: fleet.store, serviceDiscoveryToken: "sd-secret", metrics: metrics, alertSource: nil)
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: dependencies))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/factory/overview", method: .get, headers: .bearer(fleet.keys["umbrella-member"]))
            #expect(response.status == .ok)
            let usage = ((response.object["consumer"] as? [String: Any])?["usage"] as? [[String: Any]])?.first
            #expect(usage?["poolUtilisationPct"] as? Double == 43.5)
        }
        #expect(metrics.poolQueries.count == 1)
        #expect(metrics.poolQueries.allSatisfy { $0.contains(#"pool="shared""#) && $0.contains(#"node=~"globex-1""#) })
        #expect(!metrics.tenantQueries.contains { $0.contains("DCGM_FI_DEV_GPU_UTIL") }, "the pool figure is never a tenant read")
        await fleet.close()
    }
}
