import Exposition
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Simulator
import Testing
import Fleet
import NIOFoundationEssentialsCompat

@Suite("Simulated inference endpoints")
struct InferenceRoutesTests {
    static let model = "meta-llama/Llama-3.1-8B-Instruct"
    static let node = "node-0000"

    /// A one-node synthetic fleet with a fast, deterministic profile (1 ms TTFT, no ITL), so
    /// tests check shapes and counters without waiting.
    func app(profile: InferenceProfile = .init(ttftBaseSeconds: 0.001, prefillSecondsPerToken: 0, itlSeconds: 0, knee: 4,
                                               maxRunning: 8, queueCapacity: 8, kvCacheTokens: 10_000)) -> some ApplicationProtocol {
        let simulation = FleetSimulation(fleet: .synthetic(nodes: 1, gpusPerNode: 1), seed: 1)
        let farm = InferenceFarm(simulation: simulation) { _ in profile }
        let router = Router()
        addSimulatorRoutes(to: router, simulation: simulation, clock: .fixed(0), inference: farm)
        addInferenceRoutes(to: router, farm: farm)
        return Application(router: router)
    }

    func body(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

    func chat(stream: Bool, maxTokens: Int = 5) -> ByteBuffer {
        body(#"{"model":"\#(Self.model)","messages":[{"role":"user","content":"one two three four"}],"max_tokens":\#(maxTokens),"stream":\#(stream),"stream_options":{"include_usage":true}}"#)
    }

    /// The `data:` payloads of an SSE body.
    func events(_ buffer: ByteBuffer) -> [String] {
        String(buffer: buffer).components(separatedBy: "\n\n").compactMap { block in
            block.hasPrefix("data: ") ? String(block.dropFirst(6)) : nil
        }
    }

    @Test("GET /v1/models names the node's served model; nodes without vLLM 404")
    func models() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/nodes/\(Self.node)/v1/models", method: .get) { response in
                #expect(response.status == .ok)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                let data = try #require(object["data"] as? [[String: Any]])
                #expect(data.first?["id"] as? String == Self.model)
            }
            try await client.execute(uri: "/nodes/nope/v1/models", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("streaming chat: role event, one event per token, usage in the last chunk, then [DONE]")
    func streamingChat() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/nodes/\(Self.node)/v1/chat/completions", method: .post, body: chat(stream: true)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/event-stream")
                let data = events(response.body)
                #expect(data.last == "[DONE]")
                let chunks = try data.dropLast().map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
                let contents = chunks.compactMap { (($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])?["content"] as? String }
                #expect(contents.filter { !$0.isEmpty }.count == 5)
                let usage = try #require(chunks.last?["usage"] as? [String: Any])
                #expect(usage["completion_tokens"] as? Int == 5)
                #expect(usage["prompt_tokens"] as? Int == 4)
            }
        }
    }

    @Test("completions: streaming text events and a non-streaming answer with usage")
    func completions() async throws {
        try await app().test(.router) { client in
            let request = body(#"{"model":"\#(Self.model)","prompt":"a b c","max_tokens":3,"stream":true}"#)
            try await client.execute(uri: "/nodes/\(Self.node)/v1/completions", method: .post, body: request) { response in
                let data = events(response.body)
                #expect(data.filter { $0.contains(#""text":" token""#) }.count == 3)
                #expect(data.last == "[DONE]")
            }
            try await client.execute(uri: "/nodes/\(Self.node)/v1/chat/completions", method: .post, body: chat(stream: false, maxTokens: 4)) { response in
                let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect((object["usage"] as? [String: Any])?["completion_tokens"] as? Int == 4)
            }
        }
    }

    @Test("a wrong model is 404 and a malformed body 400, in OpenAI's error shape")
    func badRequests() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/nodes/\(Self.node)/v1/chat/completions", method: .post,
                                     body: body(#"{"model":"other","messages":[]}"#)) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains(#""error""#))
            }
            try await client.execute(uri: "/nodes/\(Self.node)/v1/chat/completions", method: .post, body: body("{")) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("a full queue answers 429")
    func queueFull() async throws {
        let slow = InferenceProfile(ttftBaseSeconds: 0.3, prefillSecondsPerToken: 0, itlSeconds: 0, knee: 1,
                                    maxRunning: 1, queueCapacity: 0, kvCacheTokens: 1000)
        try await app(profile: slow).test(.router) { client in
            async let first = client.execute(uri: "/nodes/\(Self.node)/v1/chat/completions", method: .post, body: chat(stream: false, maxTokens: 1))
            try await Task.sleep(for: .milliseconds(100))
            let second = try await client.execute(uri: "/nodes/\(Self.node)/v1/chat/completions", method: .post, body: chat(stream: false, maxTokens: 1))
            #expect(second.status == .tooManyRequests)
            #expect(second.headers[.retryAfter] == "1")
            #expect(try await first.status == .ok)
        }
    }

    @Test("/v1/stats reports server-side TTFT per request and percentiles; DELETE resets")
    func stats() async throws {
        try await app().test(.router) { client in
            for _ in 0..<3 {
                _ = try await client.execute(uri: "/nodes/\(Self.node)/v1/chat/completions", method: .post, body: chat(stream: true))
            }
            try await client.execute(uri: "/nodes/\(Self.node)/v1/stats", method: .get) { response in
                let stats = try JSONDecoder().decode(InferenceStats.self, from: Data(buffer: response.body))
                #expect(stats.requests == 3)
                #expect(stats.recent.count == 3)
                #expect(stats.recent.allSatisfy { $0.output_tokens == 5 && $0.ttft_ms >= 1 })
                #expect(try #require(stats.ttft_ms).p50 >= 1)
            }
            _ = try await client.execute(uri: "/nodes/\(Self.node)/v1/stats", method: .delete)
            try await client.execute(uri: "/nodes/\(Self.node)/v1/stats", method: .get) { response in
                let stats = try JSONDecoder().decode(InferenceStats.self, from: Data(buffer: response.body))
                #expect(stats.requests == 0)
            }
        }
    }

    /// The vLLM counters a load test should move, from the node's exposition.
    func values(_ client: some TestClientProtocol) async throws -> [String: Double] {
        let response = try await client.execute(uri: "/nodes/\(Self.node)/vllm/metrics", method: .get)
        var result: [String: Double] = [:]
        for line in String(buffer: response.body).split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let key = String(line[..<space])
            if key.hasPrefix("vllm:generation_tokens_total") || key.hasPrefix("vllm:time_to_first_token_seconds_count")
                || key.hasPrefix("vllm:prompt_tokens_total") || key.contains(#"finished_reason="length""#) {
                result[String(key.prefix { $0 != "{" }) + (key.contains("length") ? ":length" : "")] = Double(line[line.index(after: space)...])
            }
        }
        return result
    }

    @Test("vLLM series move with the traffic: tokens, finished requests, TTFT histogram")
    func vllmSeriesMove() async throws {
        try await app().test(.router) { client in
            let before = try await values(client)
            for _ in 0..<2 {
                _ = try await client.execute(uri: "/nodes/\(Self.node)/v1/chat/completions", method: .post, body: chat(stream: true))
            }
            let after = try await values(client)
            #expect(after["vllm:generation_tokens_total"]! - before["vllm:generation_tokens_total"]! == 10)
            #expect(after["vllm:prompt_tokens_total"]! - before["vllm:prompt_tokens_total"]! == 8)
            #expect(after["vllm:time_to_first_token_seconds_count"]! - before["vllm:time_to_first_token_seconds_count"]! == 2)
            #expect(after["vllm:request_success_total:length"]! - before["vllm:request_success_total:length"]! == 2)
        }
    }

    @Test("the batching model: base latency up to the knee, linear growth past it")
    func batchingModel() {
        let profile = InferenceProfile(ttftBaseSeconds: 0.03, prefillSecondsPerToken: 0.0001, itlSeconds: 0.01, knee: 10,
                                       maxRunning: 40, queueCapacity: 10, kvCacheTokens: 1000)
        #expect(profile.loadFactor(running: 10) == 1)
        #expect(profile.loadFactor(running: 20) == 2)
        #expect(abs(profile.ttft(inputTokens: 100, running: 1) - 0.04) < 1e-12)
        #expect(abs(profile.itl(running: 30) - 0.03) < 1e-12)
    }
}
