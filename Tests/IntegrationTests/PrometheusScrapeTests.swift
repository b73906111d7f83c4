import Fleet
import Foundation
import Logging
import ServiceLifecycle
import Simulator
import Stack
import Testing

/// Starts the simulator in process and a real Prometheus on an ephemeral loopback port, and
/// checks what Prometheus actually stored.
@Suite("Real Prometheus scrapes the simulator", .serialized)
struct PrometheusScrapeTests {
    @Test("every target is up and each tenant's GPU count matches the fleet")
    func scrapesSimulator() async throws {
        guard let binary = ExternalTool.require("prometheus") else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-scrape-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)

        let fleet = FleetFile.demo
        let simulatorPort = Rendezvous<Int>()
        let ready = Rendezvous<String>()
        let simulator = buildSimulatorApplication(
            SimulatorConfiguration(host: "127.0.0.1", port: 0, fleet: fleet, seed: 7),
            onServerRunning: { await simulatorPort.fulfil($0) }
        )
        let port = try #require(PortProbe.freePort())
        let runtime = PrometheusRuntime(binary: binary, port: port, stateDirectory: state)
        let prometheus = PrometheusService(runtime: runtime, ready: ready) {
            let simPort = try await simulatorPort.wait()
            return PrometheusConfig(
                scrapeInterval: .seconds(1),
                targets: ScrapeTarget.targets(for: fleet.spec, simulatorAddress: "127.0.0.1:\(simPort)")
            )
        }
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let group = ServiceGroup(services: [simulator, prometheus], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                // A group that ends before Prometheus is ready wakes the waiter with its reason.
                do { try await group.run(); await ready.fail(CancellationError()) } catch { await ready.fail(error); throw error }
            }

            let url = try await ready.wait()
            // Stopped gracefully also when a check throws: a cancelled server trips a NIO precondition.
            do {
                let targetCount = ScrapeTarget.targets(for: fleet.spec, simulatorAddress: "x").count
                let allUp = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                    let up = try await PrometheusHTTP.query(url, "up")
                    return up.count == targetCount && up.allSatisfy { $0.value == 1 }
                }
                let up = try await PrometheusHTTP.query(url, "up")
                #expect(allUp, "targets: \(up.map { "\($0.labels["node"] ?? "?")/\($0.labels["job"] ?? "?")=\($0.value)" })")

                for tenant in fleet.spec.tenants {
                    let expected = fleet.spec.gpuCount(tenant: tenant)
                    let counted = try await PrometheusHTTP.query(url, #"count(DCGM_FI_DEV_GPU_TEMP{tenant="\#(tenant)"})"#)
                    #expect(counted.first?.value == Double(expected), "tenant \(tenant)")
                }

                // Target labels come from the inventory: every series of a node carries its holder.
                for node in fleet.spec.nodes {
                    let series = try await PrometheusHTTP.query(url, #"DCGM_FI_DEV_GPU_TEMP{node="\#(node.name)"}"#)
                    #expect(series.allSatisfy { $0.labels["tenant"] == node.holding.tenant && $0.labels["gpu_class"] == node.gpuClass })
                    #expect(series.allSatisfy { $0.labels["Hostname"] == node.host })
                }
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        // The child is gone once the group has returned: its port is free again.
        #expect(PortProbe.isAvailable(host: "127.0.0.1", port: port))
    }
}
