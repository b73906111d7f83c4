import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// The demo consumer's inference traffic: a streaming request every `interval` through the
/// gateway, so the consumer's page shows real metered usage (the ledger and the usage contract the
/// gateway emits), not numbers a simulator made up.
///
/// Prompt and output lengths vary from a seeded sequence, so two runs of the demo draw alike. A
/// failed request (the gateway refusing over a limit, an upstream down in a scenario) is logged
/// at debug level and the loop goes on: it is traffic, not a test.
struct DemoConsumerTraffic: Service {
    /// The gateway's base URL and the consumer's API key, once known (`nil` key: no consumer).
    let target: @Sendable () async throws -> (gateway: String, key: String?)
    let interval: Duration
    let seed: UInt64
    let logger: Logger

    func run() async throws {
        let (gateway, key) = try await target()
        guard let key else {
            try await gracefulShutdown()
            return
        }
        // Cancelled (never the servers) when the demo stops: only this client's requests end.
        try? await cancelWhenGracefulShutdown {
            var state = seed
            var model: String?
            while !Task.isCancelled {
                if model == nil { model = await Self.firstModel(gateway, key: key) }
                if let model {
                    let words = 8 + Int(Self.next(&state) % 56)
                    let maxTokens = 16 + Int(Self.next(&state) % 112)
                    await send(gateway, key: key, model: model, words: words, maxTokens: maxTokens)
                }
                try await Task.sleep(for: interval)
            }
        }
    }

    /// SplitMix64: a small seeded sequence (no Foundation randomness, same draw every run).
    static func next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func firstModel(_ gateway: String, key: String) async -> String? {
        var request = HTTPClientRequest(url: gateway + "/v1/models")
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(10)),
              let body = try? await response.body.collect(upTo: 1 << 20), response.status == .ok,
              let json = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
              let first = (json["data"] as? [[String: Any]])?.first?["id"] as? String
        else { return nil }
        return first
    }

    func send(_ gateway: String, key: String, model: String, words: Int, maxTokens: Int) async {
        var request = HTTPClientRequest(url: gateway + "/v1/chat/completions")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        let prompt = Array(repeating: "token", count: words).joined(separator: " ")
        let body: [String: Any] = [
            "model": model, "stream": true, "max_tokens": maxTokens,
            "messages": [["role": "user", "content": prompt]],
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: body) else { return }
        request.body = .bytes(ByteBuffer(bytes: data))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            for try await _ in response.body {}
            if response.status != .ok { logger.debug("demo consumer request refused", metadata: ["status": "\(response.status.code)"]) }
        } catch {
            logger.debug("demo consumer request failed", metadata: ["error": "\(error)"])
        }
    }
}
