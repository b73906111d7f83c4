import Foundation
import Simulator
import Stack
import Testing

@Suite("DemoStack", .serialized)
struct DemoStackTests {
    @Test("the demo comes up, answers /healthz, writes credentials and reuses them on restart")
    func demoLifecycle() async throws {
        guard ExternalTool.require("prometheus") != nil else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-demo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }

        let first = try await runUntilReady(state: state)
        #expect(first.url.hasPrefix("http://127.0.0.1:"))
        let roles = Set(first.tenants.map(\.role))
        #expect(roles.isSuperset(of: ["owner", "provider", "consumer", "none"]))
        #expect(first.tenants.allSatisfy { $0.apiKey.hasPrefix("aif_") && $0.apiKey.count == 68 })
        let onDisk = try #require(DemoCredentials.load(path: state + "/demo-credentials.json"))
        #expect(onDisk.tenants == first.tenants)
        let attributes = try FileManager.default.attributesOfItem(atPath: state + "/demo-credentials.json")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        // Second start on the same directory: same keys, Prometheus keeps its TSDB.
        let second = try await runUntilReady(state: state)
        #expect(second.tenants == first.tenants)
        #expect(FileManager.default.fileExists(atPath: state + "/prometheus-data"))
    }

    /// Runs the demo until it is ready, checks /healthz, then stops it by cancellation.
    private func runUntilReady(state: String) async throws -> DemoCredentials {
        let configuration = DemoConfiguration(stateDirectory: state, port: 0, fleet: FleetFile.demo, scrapeInterval: .seconds(1))
        let ready = Rendezvous<DemoCredentials>()
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await DemoStack(configuration).run { await ready.fulfil($0) } }
            let credentials = try await ready.wait()
            let health = try await PrometheusHTTP.get(credentials.url + "/healthz")
            let json = try JSONSerialization.jsonObject(with: health) as? [String: Any]
            #expect(json?["status"] as? String == "ok")
            #expect(await ReadinessProbe.answersOK(credentials.prometheusURL + "/-/ready"))
            tasks.cancelAll()
            try? await tasks.waitForAll()
            let prometheusPort = Int(credentials.prometheusURL.split(separator: ":").last ?? "") ?? -1
            #expect(PortProbe.isAvailable(host: "127.0.0.1", port: prometheusPort), "prometheus child must be gone")
            return credentials
        }
    }
}
