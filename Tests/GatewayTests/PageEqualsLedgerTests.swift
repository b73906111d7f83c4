import Fleet
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
@testable import Server
import Store
import Testing

/// Issue 19 acceptance: for a scripted run of known token counts through the gateway, the
/// numbers the consumer's page reads (the overview's usage and quota bar, and the usage history
/// by key and model) equal the ledger, and the ledger equals the script.
@Suite("Consumer page equals the ledger", .serialized)
struct PageEqualsLedgerTests {
    @Test("11 streamed and plain requests from two keys: overview, quota bar and usage history equal the ledger and the script")
    func pageEqualsLedger() async throws {
        try await GatewayTests.with { _, _, world, base in
            // The script: 7 requests from umbrella-1 (5 streamed, 2 plain), 4 streamed from umbrella-2;
            // the upstream reports 11 prompt and 5 completion tokens for each.
            for index in 0..<7 {
                let body = index < 5 ? GatewayTests.streaming() : GatewayTests.chat
                #expect(try await GatewayTests.post(base, key: world.keys["umbrella-1"], body).status == 200)
            }
            for _ in 0..<4 {
                #expect(try await GatewayTests.post(base, key: world.keys["umbrella-2"], GatewayTests.streaming()).status == 200)
            }
            let requests = 11, tokensIn = 11 * GatewayTests.Upstream.promptTokens, tokensOut = 11 * GatewayTests.Upstream.tokens
            let ledger = try await GatewayTests.ledger(world)
            #expect(ledger == UsageTotals(tokensIn: tokensIn, tokensOut: tokensOut, requests: requests), "the ledger is the script")

            // The page's reads, over the same store (no Prometheus: the numbers need none).
            let dependencies = ServerDependencies(store: world.store, prometheus: nil)
            let router = Router(context: AppRequestContext.self)
            router.add(middleware: ErrorMappingMiddleware())
            let api = router.group("api/v1/factory")
                .add(middleware: AuthMiddleware(store: dependencies.store, sessions: dependencies.sessions, limiter: dependencies.limiter, now: dependencies.now))
            FactoryRoutes(dependencies: dependencies).register(on: api)
            try await Application(router: router).test(.router) { client in
                let headers: HTTPFields = [.authorization: "Bearer \(world.keys["umbrella-2"] ?? "")"]
                let overview = try await client.execute(uri: "/api/v1/factory/overview", method: .get, headers: headers)
                let object = try JSONSerialization.jsonObject(with: Data(buffer: overview.body)) as? [String: Any] ?? [:]
                let usage = try #require(((object["consumer"] as? [String: Any])?["usage"] as? [[String: Any]])?.first, "\(object)")
                #expect(usage["tokensIn"] as? Int == ledger.tokensIn)
                #expect(usage["tokensOut"] as? Int == ledger.tokensOut)
                #expect(usage["requests"] as? Int == ledger.requests)
                let quota = try #require(usage["quota"] as? [String: Any])
                #expect(quota["used"] as? Int == ledger.tokens && quota["limit"] as? Int == 1_000_000, "the quota bar")

                let historyResponse = try await client.execute(uri: "/api/v1/factory/usage?range=1h", method: .get, headers: headers)
                let history = try JSONSerialization.jsonObject(with: Data(buffer: historyResponse.body)) as? [String: Any] ?? [:]
                let totals = try #require(history["totals"] as? [String: Any], "\(history)")
                #expect(totals["tokensIn"] as? Int == tokensIn && totals["tokensOut"] as? Int == tokensOut && totals["requests"] as? Int == requests)
                #expect(totals["errors"] as? Int == 0)
                let series = history["series"] as? [[String: Any]] ?? []
                #expect(series.reduce(0) { $0 + ($1["tokensOut"] as? Int ?? 0) } == tokensOut, "the buckets add up")
                let byKey = history["byKey"] as? [[String: Any]] ?? []
                #expect(byKey.map { $0["requests"] as? Int ?? 0 } == [7, 4], "\(byKey)")
                #expect(byKey.map { $0["user"] as? String ?? "" } == ["umbrella-1", "umbrella-2"])
                #expect((history["byModel"] as? [[String: Any]])?.map { $0["tokensIn"] as? Int ?? 0 } == [tokensIn])
                #expect((history["subscriptions"] as? [[String: Any]])?.first?["quotaUsed"] as? Int == ledger.tokens)
            }
        }
    }
}
