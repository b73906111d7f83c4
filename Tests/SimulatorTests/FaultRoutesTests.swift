import Exposition
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationEssentialsCompat
import Simulator
import Testing

/// `/faults`: set, read and clear injected exporter faults, and see them in the next scrape.
@Suite("Fault routes")
struct FaultRoutesTests {
    func app(faults: FaultBoard = FaultBoard()) -> some ApplicationProtocol {
        var config = SimulatorConfiguration(host: "127.0.0.1", port: 0, fleet: FleetFile.demo, seed: 1, clock: .fixed(100))
        config.faults = faults
        return buildSimulatorApplication(config)
    }

    static func body(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

    @Test("PUT sets a node's fault, GET lists it, DELETE clears it; the scrape follows at once")
    func lifecycle() async throws {
        let faults = FaultBoard()
        try await app(faults: faults).test(.router) { client in
            try await client.execute(uri: "/faults", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "{}")
            }
            try await client.execute(uri: "/faults/acme-h100-1", method: .put, body: Self.body(#"{"forgedTenant":"globex","legacyVLLMNames":true}"#)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let fault = try JSONDecoder().decode(ExporterFault.self, from: Data(buffer: response.body))
                #expect(fault == ExporterFault(forgedTenant: "globex", legacyVLLMNames: true))
            }
            #expect(faults.fault(for: "acme-h100-1")?.forgedTenant == "globex")
            try await client.execute(uri: "/faults", method: .get) { response in
                let all = try JSONDecoder().decode([String: ExporterFault].self, from: Data(buffer: response.body))
                #expect(all == ["acme-h100-1": ExporterFault(forgedTenant: "globex", legacyVLLMNames: true)])
            }
            try await client.execute(uri: "/nodes/acme-h100-1/dcgm/metrics", method: .get) { response in
                let parsed = try ExpositionParser.parse(String(buffer: response.body))
                #expect(parsed.allSamples.allSatisfy { $0[label: "tenant"] == "globex" })
            }
            try await client.execute(uri: "/nodes/acme-h100-1/vllm/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("vllm:gpu_cache_usage_perc{"))
                #expect(!text.contains("vllm:kv_cache_usage_perc"))
            }
            // Other nodes are untouched.
            try await client.execute(uri: "/nodes/acme-ada16-1/dcgm/metrics", method: .get) { response in
                #expect(!String(buffer: response.body).contains("tenant="))
            }
            try await client.execute(uri: "/faults/acme-h100-1", method: .delete) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/nodes/acme-h100-1/dcgm/metrics", method: .get) { response in
                #expect(!String(buffer: response.body).contains("tenant="))
            }
            #expect(faults.all.isEmpty)
        }
    }

    @Test("a down node answers 503 on both exporters, naming the injected fault; clearing all brings it back")
    func down() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/faults/globex-ada48-1", method: .put, body: Self.body(#"{"down":true}"#)) { response in
                #expect(response.status == .ok)
            }
            for exporter in ["dcgm", "vllm"] {
                try await client.execute(uri: "/nodes/globex-ada48-1/\(exporter)/metrics", method: .get) { response in
                    #expect(response.status == .serviceUnavailable, "\(exporter)")
                    #expect(String(buffer: response.body).contains("injected fault"), "\(exporter)")
                }
            }
            // A node without vLLM keeps answering 404 there.
            try await client.execute(uri: "/faults/initrode-xid79", method: .put, body: Self.body(#"{"down":true}"#)) { _ in }
            try await client.execute(uri: "/nodes/initrode-xid79/vllm/metrics", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/faults", method: .delete) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/nodes/globex-ada48-1/dcgm/metrics", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("the stock-CSV fault drops the ECC families from the scrape")
    func stockCSV() async throws {
        let body = try JSONEncoder().encode(ExporterFault(dropFields: ExporterFault.stockCSVMissingFields))
        try await app().test(.router) { client in
            try await client.execute(uri: "/faults/acme-h100-1", method: .put, body: ByteBuffer(bytes: body)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/nodes/acme-h100-1/dcgm/metrics", method: .get) { response in
                let parsed = try ExpositionParser.parse(String(buffer: response.body))
                #expect(parsed.family("DCGM_FI_DEV_ECC_SBE_VOL_TOTAL") == nil)
                #expect(parsed.family("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL") == nil)
                #expect(parsed.family("DCGM_FI_DEV_GPU_TEMP") != nil)
            }
        }
    }

    @Test("unknown nodes answer 404; a bad body 400 or 422 naming the field, and changes nothing")
    func refusals() async throws {
        let faults = FaultBoard()
        try await app(faults: faults).test(.router) { client in
            try await client.execute(uri: "/faults/ghost", method: .put, body: Self.body(#"{"down":true}"#)) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("unknown node 'ghost'"))
            }
            try await client.execute(uri: "/faults/ghost", method: .delete) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/faults/acme-h100-1", method: .put, body: Self.body(#"{"down":true,"dwon":true}"#)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("unknown field 'dwon'"))
            }
            try await client.execute(uri: "/faults/acme-h100-1", method: .put, body: Self.body(#"{"down":"yes"}"#)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("down must be true or false"))
            }
            try await client.execute(uri: "/faults/acme-h100-1", method: .put, body: Self.body("not json")) { response in
                #expect(response.status == .badRequest)
            }
            #expect(faults.all.isEmpty)
        }
    }
}
