import Foundation
import Hummingbird
import HummingbirdTesting
import Simulator
import Testing
import Fleet
import NIOFoundationEssentialsCompat

@Suite("Simulator routes")
struct SimulatorRoutesTests {
    func app(at seconds: Double) -> some ApplicationProtocol {
        buildSimulatorApplication(SimulatorConfiguration(
            host: "127.0.0.1", port: 0, fleet: FleetFile.demo, seed: 1, clock: .fixed(seconds)))
    }

    @Test("GET /targets lists every node with its exporter paths")
    func targets() async throws {
        try await app(at: 0).test(.router) { client in
            try await client.execute(uri: "/targets", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let targets = try JSONDecoder().decode([SimulatorTarget].self, from: Data(buffer: response.body))
                #expect(targets.map(\.node) == FleetFile.demo.spec.nodes.map(\.name))
                let ada = try #require(targets.first { $0.node == "globex-ada48-1" })
                #expect(ada.tenant == "globex")
                #expect(ada.pool == "shared-ada")
                #expect(ada.gpuClass == "ada-48")
                #expect(ada.dcgmPath == "/nodes/globex-ada48-1/dcgm/metrics")
                #expect(ada.vllmPath == "/nodes/globex-ada48-1/vllm/metrics")
                #expect(targets.first { $0.node == "initrode-xid79" }?.vllmPath == nil)
                let raw = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
                #expect(raw.allSatisfy { Set($0.keys) == ["node", "host", "tenant", "pool", "gpuClass", "gpuModel", "gpuCount", "dcgmPath", "vllmPath"] })
            }
        }
    }

    @Test("exporter endpoints answer exposition text; unknown nodes 404; outages 503")
    func exporters() async throws {
        try await app(at: 100).test(.router) { client in
            try await client.execute(uri: "/nodes/acme-h100-1/dcgm/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                #expect(String(buffer: response.body).hasPrefix("# HELP DCGM_FI_DEV_SM_CLOCK"))
            }
            try await client.execute(uri: "/nodes/acme-h100-1/vllm/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("vllm:kv_cache_usage_perc"))
            }
            try await client.execute(uri: "/nodes/ghost/dcgm/metrics", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("unknown node 'ghost'"))
            }
            try await client.execute(uri: "/nodes/initrode-xid79/vllm/metrics", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("runs no vLLM"))
            }
            try await client.execute(uri: "/nodes/initrode-down/dcgm/metrics", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
            try await client.execute(uri: "/nodes/initrode-down/vllm/metrics", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
        }
    }

    @Test("the injected clock decides what is served")
    func clock() async throws {
        try await app(at: 10).test(.router) { client in
            try await client.execute(uri: "/nodes/initrode-down/dcgm/metrics", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("live: binds port 0 and reports the bound port")
    func live() async throws {
        try await app(at: 0).test(.live) { client in
            try await client.execute(uri: "/targets", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
