import Foundation
import Hummingbird
import HummingbirdTesting
import PrometheusClient
@testable import Server
import Testing

/// Finding 7 of the outside review: the connection check put `\(error)` into its hints, which
/// named the Prometheus host and port to tenant admins.
@Suite("Finding 7: raw error text to tenant admins")
struct Finding7RawErrorTextTests {
    @Test("a failing Prometheus gives the tenant admin a hint without its address or error text")
    func hintWithoutUpstreamDetail() async throws {
        let fleet = try await TestFleet.make()
        // Port 9 (discard) on loopback: nothing listens, the connection is refused.
        let prometheus = PrometheusClient(baseURL: "http://127.0.0.1:9", timeout: .seconds(2))
        let dependencies = ServerDependencies(store: fleet.store, serviceDiscoveryToken: "sd-secret", prometheus: prometheus)
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: dependencies))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/admin/nodes/acme-1/check", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
            #expect(response.status == .ok)
            let hints = response.object["hints"] as? [String] ?? []
            #expect(!hints.isEmpty)
            for hint in hints {
                #expect(!hint.contains("127.0.0.1") && !hint.contains(":9") && !hint.lowercased().contains("errno"), "\(hint)")
            }
            #expect(response.object["ok"] as? Bool == false)
        }
        await fleet.close()
    }
}
