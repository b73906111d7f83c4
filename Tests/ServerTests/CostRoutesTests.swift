import Fleet
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PrometheusClient
@testable import Server
import Store
import TestSupport
import Testing

/// `GET /api/v1/factory/costs` against a scripted Prometheus: the figures equal a hand
/// computation from the script and the example prices (issue 20 acceptance, API side).
@Suite("Cost routes")
struct CostRoutesTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Range answers by metric, as functions of time over the asked window:
    /// utilisation 5 % for the first 6 h then 50 %; energy at 2 kWh/day with a counter reset at
    /// mid-window; prompt tokens 0 → 1 M and generated 0 → 3 M across the window.
    static func rangeAnswer(_ fields: [String: String]) -> String {
        let start = Double(fields["start"] ?? "") ?? 0, end = Double(fields["end"] ?? "") ?? 0
        let step = max(1, Double(fields["step"] ?? "") ?? 1)
        let query = fields["query"] ?? ""
        // Each node's reads carry the tenant that holds it (an operator's too); anything else
        // gets no samples, so its figures would turn unknown and the tests below would fail.
        let holders = ["acme-1": "acme", "globex-1": "globex"]
        guard let (node, holder) = holders.first(where: { query.contains(#"node="\#($0.key)""#) }),
              query.contains(#"tenant="\#(holder)""#)
        else { return #"{"status":"success","data":{"resultType":"matrix","result":[]}}"# }
        let mid = start + (end - start) / 2
        let rate = 2 * 3.6e9 / 86_400
        func value(_ t: Double) -> Double? {
            if query.contains("DCGM_FI_DEV_GPU_UTIL") { return t < start + 6 * 3600 ? 5 : 50 }
            if query.contains("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION") { return t < mid ? (t - start) * rate : (t - mid) * rate }
            if query.contains("vllm:prompt_tokens_total") { return (t - start) / (end - start) * 1_000_000 }
            if query.contains("vllm:generation_tokens_total") { return (t - start) / (end - start) * 3_000_000 }
            return nil
        }
        var values: [String] = []
        var t = start
        while t <= end {
            if let v = value(t) { values.append(#"[\#(t),"\#(v)"]"#) }
            t += step
        }
        let result = values.isEmpty ? "" : #"{"metric":{"node":"\#(node)","gpu":"0","tenant":"\#(holder)"},"values":[\#(values.joined(separator: ","))]}"#
        return #"{"status":"success","data":{"resultType":"matrix","result":[\#(result)]}}"#
    }

    static func withClient(_ body: @Sendable @escaping (any TestClientProtocol, TestFleet) async throws -> Void) async throws {
        let fleet = try await TestFleet.make()
        let router = Router()
        router.post("/api/v1/query_range") { request, _ -> Response in
            let text = String(buffer: try await request.body.collect(upTo: 1 << 20))
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: rangeAnswer(FactoryRoutesTests.form(text)))))
        }
        router.post("/api/v1/query") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: #"{"status":"success","data":{"resultType":"vector","result":[]}}"#)))
        }
        try await withLoopbackServer(router) { url in
            let dependencies = ServerDependencies(store: fleet.store, prometheus: PrometheusClient(baseURL: url, timeout: .seconds(5)), now: { Self.now })
            let app = Router(context: AppRequestContext.self)
            app.add(middleware: ErrorMappingMiddleware())
            let api = app.group("api/v1/factory")
                .add(middleware: AuthMiddleware(store: dependencies.store, sessions: dependencies.sessions, limiter: dependencies.limiter, now: dependencies.now))
            FactoryRoutes(dependencies: dependencies).register(on: api)
            try await Application(router: app).test(.router) { client in try await body(client, fleet) }
        }
        await fleet.close()
    }

    @Test("owner: a day of a scripted node equals the hand computation at the example prices")
    func ownerDay() async throws {
        try await Self.withClient { client, fleet in
            let response = try await client.execute(uri: "/api/v1/factory/costs?range=24h", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(response.status == .ok, "\(response.text)")
            let body = response.object
            #expect(body["role"] as? String == "owner" && body["group"] as? String == "node" && body["hours"] as? Double == 24)
            let node = try #require((body["groups"] as? [[String: Any]])?.first)
            #expect(node["key"] as? String == "acme-1" && node["gpus"] as? Int == 1 && node["gpuClass"] as? String == "ada-16")
            // By hand: 1 GPU × 24 h at $0.35 (ada-16's example price).
            #expect(node["gpuHours"] as? Double == 24)
            #expect(node["pricePerGPUHour"] as? Double == 0.35)
            #expect(node["cost"] as? Double == 8.4)
            // 120 s steps over 24 h: 721 samples, the first 180 (6 h) at 5 % — below the 10 % idle line.
            #expect(node["idleHours"] as? Double == 6 && node["idleCost"] as? Double == 2.1)
            let utilisation = (180.0 * 5 + 541.0 * 50) / 721
            #expect(node["utilisationPct"] as? Double == (utilisation * 10).rounded() / 10)
            #expect(node["utilisationWeightedCost"] as? Double == (8.4 * utilisation / 100 * 100).rounded() / 100)
            // 2 kWh/day, reset mid-window: the whole window but its first step, counted once.
            let kWh = 2.0 * (86_400 - 120) / 86_400
            #expect(node["energyKWh"] as? Double == (kWh * 1000).rounded() / 1000)
            #expect(node["energyCost"] as? Double == (kWh * 0.15 * 100).rounded() / 100)
            // 1 M prompt + 3 M generated tokens: $8.40 / 4 M = $2.10 per 1 M.
            #expect(node["tokens"] as? Double == 4_000_000)
            #expect(node["costPer1MTokens"] as? Double == 2.1)
            #expect((body["total"] as? [String: Any])?["cost"] as? Double == 8.4)
            #expect((body["prices"] as? [String: Any])?["source"] as? String == "defaults")
            #expect(body["stale"] as? Bool == false)

            let tenant = try await client.execute(uri: "/api/v1/factory/costs?range=24h&group=tenant", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect((tenant.object["groups"] as? [[String: Any]])?.map { $0["key"] as? String } == ["acme"])
            #expect(try await client.execute(uri: "/api/v1/factory/costs?range=2d", method: .get, headers: .bearer(fleet.keys["acme-member"])).status == .badRequest)
            #expect(try await client.execute(uri: "/api/v1/factory/costs?group=gpu", method: .get, headers: .bearer(fleet.keys["acme-member"])).status == .badRequest)
            #expect(try await client.execute(uri: "/api/v1/factory/costs", method: .get, headers: .bearer(fleet.keys["hooli-member"])).status == .notFound)
        }
    }

    @Test("operator: every node of the fleet, each read in its holder's scope, grouped by tenant and pool; every pool's revenue")
    func operatorFleet() async throws {
        try await Self.withClient { client, fleet in
            let byTenant = try await client.execute(uri: "/api/v1/factory/costs?range=24h&group=tenant", method: .get, headers: .bearer(fleet.keys["operator"]))
            #expect(byTenant.status == .ok, "\(byTenant.text)")
            let body = byTenant.object
            #expect(body["role"] as? String == "operator" && body["tenant"] == nil)
            let groups = try #require(body["groups"] as? [[String: Any]])
            #expect(groups.map { $0["key"] as? String } == ["acme", "globex"])
            // By hand: each tenant's one ada-16 GPU × 24 h at $0.35, and its 4 M tokens.
            for group in groups {
                #expect(group["cost"] as? Double == 8.4 && group["tokens"] as? Double == 4_000_000, "\(group)")
            }
            #expect((body["total"] as? [String: Any])?["cost"] as? Double == 16.8)
            #expect(body["stale"] as? Bool == false)
            #expect((body["revenue"] as? [[String: Any]])?.map { $0["pool"] as? String } == ["shared"])

            let byPool = try await client.execute(uri: "/api/v1/factory/costs?range=24h&group=pool", method: .get, headers: .bearer(fleet.keys["operator"]))
            #expect((byPool.object["groups"] as? [[String: Any]])?.map { $0["key"] as? String } == ["dedicated", "shared"])
            let byNode = try await client.execute(uri: "/api/v1/factory/costs?range=24h", method: .get, headers: .bearer(fleet.keys["operator"]))
            #expect((byNode.object["groups"] as? [[String: Any]])?.map { $0["key"] as? String } == ["acme-1", "globex-1"])
        }
    }

    @Test("consumer: spend this period at the plan price from the ledger, no hardware; provider: pool revenue in aggregate")
    func consumerAndProvider() async throws {
        try await Self.withClient { client, fleet in
            _ = try await fleet.store.recordUsage([
                UsageEntry(requestID: "r1", tenant: "umbrella", pool: "shared", keyID: "k", model: "m", tokensIn: 600_000, tokensOut: 1_400_000,
                           status: 200, source: "upstream", at: Self.now.addingTimeInterval(-3600)),
            ])
            let consumer = try await client.execute(uri: "/api/v1/factory/costs", method: .get, headers: .bearer(fleet.keys["umbrella-member"]))
            #expect(consumer.status == .ok, "\(consumer.text)")
            let spend = try #require((consumer.object["spend"] as? [[String: Any]])?.first)
            #expect(spend["plan"] as? String == "starter" && spend["tokens"] as? Int == 2_000_000)
            #expect(spend["pricePer1MTokens"] as? Double == 0.5 && spend["spend"] as? Double == 1.0)
            #expect(consumer.object["groups"] == nil)
            FactoryRoutesTests.expectNoHardware(consumer.text)

            let provider = try await client.execute(uri: "/api/v1/factory/costs?range=24h", method: .get, headers: .bearer(fleet.keys["globex-admin"]))
            #expect(provider.object["role"] as? String == "provider")
            let revenue = try #require((provider.object["revenue"] as? [[String: Any]])?.first)
            #expect(revenue["pool"] as? String == "shared" && revenue["tokens"] as? Int == 2_000_000 && revenue["atPlanPrices"] as? Double == 1.0)
            #expect(!provider.text.contains("umbrella"), "no consumer named")
        }
    }
}
