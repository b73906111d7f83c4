import AsyncHTTPClient
import Foundation
import NIOCore
import Simulator
import Stack
import TestSupport
import Testing
import Fleet
import NIOHTTP1

/// A real load test through the product: the demo in process, its tenant admin starts a small
/// sweep on a node that serves vLLM (the simulator's OpenAI endpoint under the node's registered
/// vLLM path), and the stored levels carry real TTFT figures.
@Suite("LoadTest API", .serialized)
struct LoadTestAPITests {
    @Test("a tenant admin's load test on its vLLM node runs to succeeded with TTFT stats per level")
    func realLoadTest() async throws {
        guard ExternalTool.require("prometheus") != nil else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-loadtest-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let fleet = FleetFile.demo
        let node = try #require(fleet.spec.nodes.first { $0.servedModel != nil && $0.scenarios.isEmpty })
        let configuration = DemoConfiguration(stateDirectory: state, port: 0, fleet: fleet, scrapeInterval: .seconds(1))
        try await withDemoStack(configuration) { credentials in
            let key = try #require(credentials.tenants.first { $0.tenant == node.holding.tenant }?.apiKey)
            let plan: [String: Any] = ["node": node.name, "concurrency": [1, 2], "requests": 10, "isl": 16, "osl": 8, "acknowledged": true]
            var request = HTTPClientRequest(url: credentials.url + "/api/v1/factory/loadtests")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: plan)))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            #expect(response.status == .accepted, "\(String(buffer: body))")
            let started = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
            let id = try #require(started["id"] as? String)

            var test: [String: Any] = [:]
            let finished = try await PrometheusHTTP.eventually(timeout: .seconds(120)) {
                let data = try await PrometheusHTTP.get(credentials.url + "/api/v1/factory/loadtests/\(id)", bearer: key)
                test = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
                let status = test["status"] as? String
                return status != "queued" && status != "running"
            }
            #expect(finished)
            #expect(test["status"] as? String == "succeeded", "\(test["error"] ?? "")")
            #expect(test["model"] as? String == node.servedModel, "the first model the endpoint serves")
            let levels = test["levels"] as? [[String: Any]] ?? []
            #expect(levels.map { $0["label"] as? String } == ["c1", "c2"])
            for level in levels {
                #expect(level["successes"] as? Int == 10)
                let ttft = (level["metrics"] as? [String: Any])?["time_to_first_token"] as? [String: Any]
                #expect((ttft?["p50"] as? Double ?? 0) > 0)
                #expect((ttft?["avg"] as? Double ?? 0) > 0)
            }
        }
    }
}
