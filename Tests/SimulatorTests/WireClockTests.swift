import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Simulator
import Testing
import Fleet
import NIOFoundationEssentialsCompat

@Suite("Inference truth stamped at the socket")
struct WireClockTests {
    static let model = "meta-llama/Llama-3.1-8B-Instruct"
    static let node = "node-0000"

    @Test("the pipeline stamps arrival and first token; a client-sent stamp header is overwritten")
    func stampsAtTheSocket() async throws {
        let simulation = FleetSimulation(fleet: .synthetic(nodes: 1, gpusPerNode: 1), seed: 1)
        let profile = InferenceProfile(ttftBaseSeconds: 0.020, prefillSecondsPerToken: 0, itlSeconds: 0.005, knee: 4,
                                       maxRunning: 8, queueCapacity: 8, kvCacheTokens: 10_000)
        let farm = InferenceFarm(simulation: simulation) { _ in profile }
        let router = Router()
        addInferenceRoutes(to: router, farm: farm)
        let app = Application(router: router, server: .http1(configuration: .init(additionalChannelHandlers: [farm.wireClock.makeHandler()])))
        let body = ByteBuffer(string: #"{"model":"\#(Self.model)","messages":[{"role":"user","content":"a b"}],"max_tokens":3,"stream":true}"#)
        try await app.test(.live) { client in
            // A forged arrival 9,000 s after the clock's origin would make the TTFT negative if
            // the route believed it; a forged connection id would find no stamp.
            let forged: HTTPFields = [WireClock.receivedField: "9000000000000", WireClock.connectionField: "424242"]
            let sent = ContinuousClock.now
            try await client.execute(uri: "/nodes/\(Self.node)/v1/chat/completions", method: .post, headers: forged, body: body) { response in
                #expect(response.status == .ok)
            }
            let observed = (ContinuousClock.now - sent).milliseconds
            try await client.execute(uri: "/nodes/\(Self.node)/v1/stats", method: .get) { response in
                let stats = try JSONDecoder().decode(InferenceStats.self, from: Data(buffer: response.body))
                let timing = try #require(stats.recent.first)
                // Planned 20 ms; a loaded machine only adds, but never beyond what the client saw
                // of the whole request (a stamp taken at the wrong point would exceed it).
                #expect(timing.ttft_ms >= 20 && timing.ttft_ms <= observed, "TTFT \(timing.ttft_ms) ms, request \(observed) ms")
                #expect(timing.e2e_ms >= timing.ttft_ms)
            }
        }
    }
}

extension Duration {
    fileprivate var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
