import AsyncHTTPClient
import Fleet
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Simulator
import Stack
import TestSupport
import Testing
import NIOHTTP1

@Suite("DemoStack", .serialized)
struct DemoStackTests {
    @Test("the demo comes up, every key logs in with its role, and a restart reuses keys and history")
    func demoLifecycle() async throws {
        guard ExternalTool.require("prometheus") != nil else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-demo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }

        let first = try await runDemo(state: state) { credentials in
            // Prometheus scrapes exactly the inventory, through http_sd, with the tenant label.
            let fleet = FleetFile.demo.spec
            let expectedTargets = fleet.nodes.count + fleet.nodes.filter { $0.servedModel != nil }.count
            let allUp = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                let up = try await PrometheusHTTP.query(credentials.prometheusURL, #"up{job=~"dcgm|vllm"}"#)
                let metering = try await PrometheusHTTP.query(credentials.prometheusURL, #"up{job="metering"}"#)
                return up.count == expectedTargets && up.allSatisfy { $0.value == 1 } && metering.map(\.value) == [1]
            }
            #expect(allUp)
            for tenant in fleet.tenants {
                let counted = try await PrometheusHTTP.query(credentials.prometheusURL, #"count(DCGM_FI_DEV_GPU_TEMP{tenant="\#(tenant)"})"#)
                #expect(counted.first?.value == Double(fleet.gpuCount(tenant: tenant)), "tenant \(tenant)")
            }
        }
        #expect(first.url.hasPrefix("http://127.0.0.1:"))
        #expect(Set(first.tenants.map(\.role)).isSuperset(of: ["owner", "provider", "consumer", "none", "operator"]))
        let onDisk = try #require(DemoCredentials.load(path: state + "/demo-credentials.json"))
        #expect(onDisk.tenants == first.tenants)
        let attributes = try FileManager.default.attributesOfItem(atPath: state + "/demo-credentials.json")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        // Second start on the same directory: same keys still log in, Prometheus keeps its TSDB.
        let second = try await runDemo(state: state) { _ in }
        #expect(second.tenants == first.tenants)
        #expect(FileManager.default.fileExists(atPath: state + "/prometheus-data/wal"))
    }

    @Test("a node registered through the admin API is scraped with its tenant label within one SD refresh")
    func registrationReachesPrometheus() async throws {
        guard ExternalTool.require("prometheus") != nil else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-demo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }

        // A second, independent "node": a one-GPU simulator on its own port.
        let extraPort = Rendezvous<Int>()
        let extra = buildSimulatorApplication(
            SimulatorConfiguration(host: "127.0.0.1", port: 0, fleet: .synthetic(nodes: 1, gpusPerNode: 1), seed: 3),
            onServerRunning: { await extraPort.fulfil($0) }
        )
        var quiet = Logger(label: "extra")
        quiet.logLevel = .critical
        let group = ServiceGroup(services: [extra], logger: quiet)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                do { try await group.run(); await extraPort.fail(CancellationError()) } catch { await extraPort.fail(error); throw error }
            }
            let port = try await extraPort.wait()
            // Stopped gracefully also when a check throws: a cancelled server trips a NIO precondition.
            do {
                let extraNode = try #require(LoadedFleet.synthetic(nodes: 1, gpusPerNode: 1).spec.nodes.first)
                _ = try await runDemo(state: state) { credentials in
                    let operatorKey = try #require(credentials.tenants.first { $0.role == "operator" }?.apiKey)
                    let registered = try await Self.post(
                        credentials.url + "/api/v1/admin/nodes", key: operatorKey,
                        json: [
                            "name": "hooli-late", "host": "late.example", "dcgmAddress": "127.0.0.1:\(port)",
                            "dcgmPath": "/nodes/\(extraNode.name)/dcgm/metrics", "gpuModel": extraNode.gpuModel,
                            "gpuCount": 1, "gpuMemoryMiB": extraNode.gpuMemoryMiB, "tenant": "hooli",
                        ]
                    )
                    #expect(registered == 201)
                    let seen = try await PrometheusHTTP.eventually(timeout: .seconds(30)) {
                        let series = try await PrometheusHTTP.query(credentials.prometheusURL, #"DCGM_FI_DEV_GPU_TEMP{node="hooli-late"}"#)
                        return series.count == 1 && series[0].labels["tenant"] == "hooli"
                    }
                    #expect(seen)
                    // Refresh and scrape are 1 s each here; `eventually` bounds the wait (no timed assertion).
                    let check = try await PrometheusHTTP.get(credentials.url + "/api/v1/admin/nodes/hooli-late/check", bearer: operatorKey)
                    let report = try JSONSerialization.jsonObject(with: check) as? [String: Any]
                    #expect(report?["ok"] as? Bool == true, "\(String(decoding: check, as: UTF8.self))")
                    #expect(report?["tenantLabel"] as? String == "hooli")
                    #expect(report?["dcgmSeries"] as? Int == 1)
                }
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Runs the demo until it is ready, checks /healthz and every login, runs `body`, then stops it.
    private func runDemo(state: String, _ body: @escaping @Sendable (DemoCredentials) async throws -> Void) async throws -> DemoCredentials {
        let configuration = DemoConfiguration(stateDirectory: state, port: 0, fleet: FleetFile.demo, scrapeInterval: .seconds(1))
        let credentials = try await withDemoStack(configuration) { credentials in
            let health = try await PrometheusHTTP.get(credentials.url + "/healthz")
            let json = try JSONSerialization.jsonObject(with: health) as? [String: Any]
            #expect(json?["status"] as? String == "ok")
            for login in credentials.tenants {
                let me = try await PrometheusHTTP.get(credentials.url + "/api/v1/me", bearer: login.apiKey)
                let role = (try JSONSerialization.jsonObject(with: me) as? [String: Any])?["role"] as? String
                #expect(role == (login.role == "operator" ? "none" : login.role), "\(login.tenant)")
            }
            try await body(credentials)
            return credentials
        }
        let prometheusPort = Int(credentials.prometheusURL.split(separator: ":").last ?? "") ?? -1
        #expect(PortProbe.isAvailable(host: "127.0.0.1", port: prometheusPort), "prometheus child must be gone")
        return credentials
    }

    private static func post(_ url: String, key: String, json: [String: any Sendable]) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
