import Fleet
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PrometheusClient
@testable import Server
import ServiceLifecycle
import Store
import Telemetry
import TestSupport
import Testing

/// `/api/v1/factory/{overview,summary,nodes/:id/trend}` against a fake Prometheus that answers
/// `/api/v1/query` and `/api/v1/query_range` from the query text.
///
/// The fake deliberately answers the pool-utilisation query with node and host labels: the
/// consumer's JSON must still carry none of them.
@Suite("Factory routes")
struct FactoryRoutesTests {
    /// The form fields of a POSTed Prometheus API call.
    static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    static func vector(_ samples: [([String: String], Double)]) -> String {
        let result = samples.map { labels, value in
            let metric = labels.map { #""\#($0)":"\#($1)""# }.sorted().joined(separator: ",")
            return #"{"metric":{\#(metric)},"value":[1800000000,"\#(value)"]}"#
        }
        return #"{"status":"success","data":{"resultType":"vector","result":[\#(result.joined(separator: ","))]}}"#
    }

    static func instantAnswer(_ query: String) -> String {
        let gpu = ["node": "acme-1", "gpu": "0", "UUID": "GPU-abc", "tenant": "acme", "job": "dcgm"]
        if query.contains("aifactory_usage_tokens_total") { return vector([(["direction": "input"], 1000), (["direction": "output"], 500)]) }
        if query.contains("aifactory_usage_requests_total") { return vector([([:], 12)]) }
        if query.hasPrefix("histogram_quantile") { return vector([([:], 0.9)]) }
        if query.contains("aifactory_usage_request_duration_seconds_sum") { return vector([([:], 0.5)]) }
        if query.hasPrefix("avg(DCGM_FI_DEV_GPU_UTIL") { return vector([(["node": "globex-1", "host": "globex-1.example", "UUID": "GPU-zzz"], 47.5)]) }
        if query.hasPrefix("up{") { return vector([(["node": "acme-1", "tenant": "acme", "job": "dcgm"], 1)]) }
        if query.hasPrefix("{__name__") {
            return vector([
                (gpu.merging(["__name__": "DCGM_FI_DEV_GPU_TEMP"]) { $1 }, 51),
                (gpu.merging(["__name__": "DCGM_FI_DEV_GPU_UTIL"]) { $1 }, 30),
                (gpu.merging(["__name__": "DCGM_FI_DEV_FB_USED"]) { $1 }, 1000),
                (gpu.merging(["__name__": "DCGM_FI_DEV_FB_FREE"]) { $1 }, 15000),
                (gpu.merging(["__name__": "DCGM_FI_DEV_POWER_USAGE"]) { $1 }, 70),
            ])
        }
        if query.hasPrefix("timestamp(") { return vector([(gpu, 1_800_000_000)]) }
        return vector([])
    }

    static func rangeAnswer(_ fields: [String: String]) -> String {
        let start = Double(fields["start"] ?? "") ?? 0
        let end = Double(fields["end"] ?? "") ?? 0
        let step = max(1, Double(fields["step"] ?? "") ?? 1)
        var values: [String] = []
        var t = start
        while t <= end {
            values.append(#"[\#(t),"42"]"#)
            t += step
        }
        let series = #"{"metric":{"node":"acme-1","gpu":"0","UUID":"GPU-abc","tenant":"acme"},"values":[\#(values.joined(separator: ","))]}"#
        return #"{"status":"success","data":{"resultType":"matrix","result":[\#(series)]}}"#
    }

    /// Serves the fake Prometheus on 127.0.0.1:0 while `run` executes; stopped gracefully.
    static func withFakePrometheus<T: Sendable>(failing: Bool = false, _ run: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        for path in ["/api/v1/query", "/api/v1/query_range"] {
            router.post(RouterPath(path)) { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                let fields = form(String(buffer: body))
                let text = failing
                    ? #"{"status":"error","errorType":"internal","error":"boom"}"#
                    : path.hasSuffix("range") ? rangeAnswer(fields) : instantAnswer(fields["query"] ?? "")
                return Response(
                    status: failing ? .internalServerError : .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: text)))
            }
        }
        return try await withLoopbackServer(router, run)
    }

    static func router(_ fleet: TestFleet, prometheus: PrometheusClient?) -> Router<AppRequestContext> {
        let dependencies = ServerDependencies(
            store: fleet.store, prometheus: prometheus, now: { Date(timeIntervalSince1970: 1_800_000_000) })
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMappingMiddleware())
        let api = router.group("api/v1/factory")
            .add(middleware: AuthMiddleware(store: dependencies.store, sessions: dependencies.sessions, limiter: dependencies.limiter, now: dependencies.now))
        FactoryRoutes(dependencies: dependencies).register(on: api)
        return router
    }

    /// Runs `body` with a test client over the routes, the fake Prometheus and the test fleet.
    static func withClient(failing: Bool = false, _ body: @Sendable @escaping (any TestClientProtocol, TestFleet) async throws -> Void) async throws {
        let fleet = try await TestFleet.make()
        try await withFakePrometheus(failing: failing) { url in
            let app = Application(router: Self.router(fleet, prometheus: PrometheusClient(baseURL: url, timeout: .seconds(5))))
            try await app.test(.router) { client in try await body(client, fleet) }
        }
        await fleet.close()
    }

    static func expectNoHardware(_ text: String) {
        for identifier in ["acme-1", "globex-1", "example", "GPU-"] {
            #expect(!text.contains(identifier), "consumer JSON contains \(identifier): \(text)")
        }
    }

    /// Ledger rows for umbrella this month (the routes' clock is 1_800_000_000): 1,000 tokens in,
    /// 500 out over 12 requests, plus a row of another tenant and one of last month that must not count.
    static func recordLedger(_ fleet: TestFleet) async throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var entries = (0..<12).map { index in
            UsageEntry(requestID: "req_\(index)", tenant: "umbrella", pool: "shared", keyID: "k_x", model: "m",
                       tokensIn: index < 10 ? 100 : 0, tokensOut: index < 10 ? 50 : 0, status: 200, source: "upstream",
                       at: now.addingTimeInterval(-Double(index) * 60))
        }
        entries.append(UsageEntry(requestID: "req_other", tenant: "acme", pool: "shared", keyID: "k_y", model: "m",
                                  tokensIn: 7, tokensOut: 7, status: 200, source: "upstream", at: now))
        entries.append(UsageEntry(requestID: "req_old", tenant: "umbrella", pool: "shared", keyID: "k_x", model: "m",
                                  tokensIn: 9_999, tokensOut: 9_999, status: 200, source: "upstream", at: now.addingTimeInterval(-40 * 86_400)))
        _ = try await fleet.store.recordUsage(entries)
    }

    @Test("consumer overview: usage filled, no node id, host or GPU UUID anywhere")
    func consumerOverview() async throws {
        try await Self.withClient { client, fleet in
            try await Self.recordLedger(fleet)
            let response = try await client.execute(uri: "/api/v1/factory/overview", method: .get, headers: .bearer(fleet.keys["umbrella-member"]))
            #expect(response.status == .ok)
            #expect(response.object["role"] as? String == "consumer")
            #expect(response.object["nodes"] == nil)
            let consumer = try #require(response.object["consumer"] as? [String: Any])
            let usage = try #require((consumer["usage"] as? [[String: Any]])?.first)
            #expect(usage["pool"] as? String == "shared")
            #expect(usage["tokensIn"] as? Int == 1000)
            #expect(usage["tokensOut"] as? Int == 500)
            #expect(usage["requests"] as? Int == 12)
            #expect(usage["averageLatencySeconds"] as? Double == 0.5)
            #expect(usage["p95LatencySeconds"] as? Double == 0.9)
            #expect(usage["poolUtilisationPct"] as? Double == 47.5)
            let quota = try #require(usage["quota"] as? [String: Any])
            #expect(quota["used"] as? Int == 1500)
            #expect(quota["limit"] as? Int == 1_000_000)
            #expect(quota["period"] as? String == "month")
            #expect(response.object["stale"] as? Bool == false)
            Self.expectNoHardware(response.text)
        }
    }

    @Test("owner overview keeps its node cards")
    func ownerOverview() async throws {
        try await Self.withClient { client, fleet in
            let response = try await client.execute(uri: "/api/v1/factory/overview", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
            #expect(response.status == .ok)
            #expect(response.object["role"] as? String == "owner")
            let nodes = response.object["nodes"] as? [[String: Any]] ?? []
            #expect(nodes.compactMap { $0["id"] as? String } == ["acme-1"])
            #expect(nodes.first?["temperatureC"] as? Double == 51)
        }
    }

    @Test("operator overview: every tenant with role, pill and nodes by pool; the fleet pill; the summary lists every node")
    func operatorOverview() async throws {
        try await Self.withClient { client, fleet in
            let response = try await client.execute(uri: "/api/v1/factory/overview", method: .get, headers: .bearer(fleet.keys["operator"]))
            #expect(response.status == .ok)
            #expect(response.object["role"] as? String == "operator")
            #expect(response.object["tenant"] == nil)
            let nodes = response.object["nodes"] as? [[String: Any]] ?? []
            #expect(Set(nodes.compactMap { $0["id"] as? String }) == ["acme-1", "globex-1"])
            let fleetPart = try #require(response.object["fleet"] as? [String: Any])
            #expect(fleetPart["nodeCount"] as? Int == 2 && fleetPart["gpuCount"] as? Int == 2)
            let tenants = fleetPart["tenants"] as? [[String: Any]] ?? []
            #expect(tenants.compactMap { $0["tenant"] as? String } == ["acme", "globex", "hooli", "umbrella"])
            func group(_ name: String) -> [String: Any] { tenants.first { $0["tenant"] as? String == name } ?? [:] }
            #expect(group("acme")["role"] as? String == "owner")
            #expect(group("globex")["role"] as? String == "provider")
            #expect(group("umbrella")["role"] as? String == "consumer")
            #expect(group("umbrella")["subscribesTo"] as? [String] == ["shared"])
            #expect(group("hooli")["role"] as? String == "none" && group("hooli")["health"] as? String == "unknown")
            #expect(group("acme")["users"] as? Int == 2)
            let globexNodes = group("globex")["nodes"] as? [[String: Any]] ?? []
            #expect(globexNodes.first?["pool"] as? String == "shared", "contributed nodes say their pool")
            #expect(((group("acme")["nodes"] as? [[String: Any]])?.first?["temperatureC"]) as? Double == 51, "read in the holder's scope")
            // The fake Prometheus has no series of globex's node: acme is Healthy, globex Unknown, and
            // the fleet pill is the worst card, never Healthy over a node it cannot see.
            #expect(group("acme")["health"] as? String == "healthy" && group("globex")["health"] as? String == "unknown")
            #expect(response.object["health"] as? String == "unknown")
            let pools = fleetPart["pools"] as? [[String: Any]] ?? []
            #expect(pools.first?["pool"] as? String == "shared" && pools.first?["nodes"] as? Int == 1 && pools.first?["consumers"] as? Int == 1)

            let summary = try await client.execute(uri: "/api/v1/factory/summary", method: .get, headers: .bearer(fleet.keys["operator"]))
            #expect(summary.object["role"] as? String == "operator")
            #expect(((summary.object["nodes"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } == ["acme-1", "globex-1"])
            // Tenants never get the fleet.
            let owner = try await client.execute(uri: "/api/v1/factory/overview", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
            #expect(owner.object["fleet"] == nil)
        }
    }

    @Test("summary: holders get per-node status; consumers usage only; none nothing")
    func summary() async throws {
        try await Self.withClient { client, fleet in
            try await Self.recordLedger(fleet)
            let owner = try await client.execute(uri: "/api/v1/factory/summary", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(owner.status == .ok)
            #expect(owner.object["refreshSeconds"] as? Int == 15)
            let nodes = owner.object["nodes"] as? [[String: Any]] ?? []
            #expect(nodes.compactMap { $0["id"] as? String } == ["acme-1"])
            #expect(nodes.first?["utilisationPct"] as? Double == 30)
            #expect(nodes.first?["temperatureC"] as? Double == 51)
            #expect(owner.object["usage"] == nil)

            let consumer = try await client.execute(uri: "/api/v1/factory/summary", method: .get, headers: .bearer(fleet.keys["umbrella-admin"]))
            #expect(consumer.status == .ok)
            #expect(consumer.object["nodes"] == nil)
            #expect((consumer.object["usage"] as? [[String: Any]])?.first?["tokensIn"] as? Int == 1000)
            Self.expectNoHardware(consumer.text)

            let none = try await client.execute(uri: "/api/v1/factory/summary", method: .get, headers: .bearer(fleet.keys["hooli-member"]))
            #expect(none.object["role"] as? String == "none")
            #expect(none.object["nodes"] == nil && none.object["usage"] == nil)

            let anonymous = try await client.execute(uri: "/api/v1/factory/summary", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test("trend: per-GPU series of at most 300 points for the holder")
    func trend() async throws {
        try await Self.withClient { client, fleet in
            for range in TrendSeries.Range.allCases {
                let response = try await client.execute(
                    uri: "/api/v1/factory/nodes/acme-1/trend?metric=temperature&range=\(range.rawValue)", method: .get,
                    headers: .bearer(fleet.keys["acme-member"]))
                #expect(response.status == .ok)
                #expect(response.object["unit"] as? String == "°C")
                #expect(response.object["stepSeconds"] as? Int == Int(range.step))
                let series = response.object["series"] as? [[String: Any]] ?? []
                #expect(series.count == 1)
                #expect(series.first?["gpu"] as? Int == 0)
                let points = series.first?["points"] as? [[Double]] ?? []
                #expect(points.count == TrendSeries.maxPoints, "\(range.rawValue): \(points.count) points")
            }
        }
    }

    struct TrendCase: Sendable, CustomTestStringConvertible {
        var person: String
        var path: String
        var status: HTTPResponse.Status
        var mentions: String?
        var testDescription: String { "\(person) \(path)" }
    }

    @Test("trend: bad parameters are a 400 naming the parameter; nodes not held are a 404; operators read any node", arguments: [
        TrendCase(person: "acme-member", path: "acme-1/trend?metric=fan&range=1h", status: .badRequest, mentions: "metric"),
        TrendCase(person: "acme-member", path: "acme-1/trend?metric=power&range=2d", status: .badRequest, mentions: "range"),
        TrendCase(person: "acme-member", path: "acme-1/trend", status: .ok),
        TrendCase(person: "acme-member", path: "globex-1/trend?metric=power&range=1h", status: .notFound),
        TrendCase(person: "acme-member", path: "nowhere/trend?metric=power&range=1h", status: .notFound),
        TrendCase(person: "umbrella-member", path: "globex-1/trend?metric=power&range=1h", status: .notFound),
        TrendCase(person: "operator", path: "acme-1/trend?metric=power&range=1h", status: .ok),
        TrendCase(person: "operator", path: "nowhere/trend?metric=power&range=1h", status: .notFound),
    ])
    func trendErrors(_ row: TrendCase) async throws {
        try await Self.withClient { client, fleet in
            let response = try await client.execute(uri: "/api/v1/factory/nodes/" + row.path, method: .get, headers: .bearer(fleet.keys[row.person]))
            #expect(response.status == row.status)
            if let mentions = row.mentions {
                #expect(response.errorMessage?.contains(mentions) == true, "\(response.text)")
            }
            if row.status == .notFound {
                #expect(!response.text.contains("globex"), "a 404 must not echo another tenant's node")
            }
        }
    }

    @Test("Prometheus failing: the consumer still gets its quota and ledger usage, latency unknown and stale; never a 5xx")
    func consumerUpstreamDown() async throws {
        try await Self.withClient(failing: true) { client, fleet in
            try await Self.recordLedger(fleet)
            let response = try await client.execute(uri: "/api/v1/factory/overview", method: .get, headers: .bearer(fleet.keys["umbrella-member"]))
            #expect(response.status == .ok)
            #expect(response.object["stale"] as? Bool == true)
            #expect(!response.text.contains("boom"))
            let usage = try #require(((response.object["consumer"] as? [String: Any])?["usage"] as? [[String: Any]])?.first)
            #expect(usage["tokensIn"] as? Int == 1000, "the ledger does not need Prometheus")
            #expect(usage["averageLatencySeconds"] is NSNull)
            #expect((usage["quota"] as? [String: Any])?["limit"] as? Int == 1_000_000)
            #expect((usage["quota"] as? [String: Any])?["used"] as? Int == 1500)

            let trend = try await client.execute(uri: "/api/v1/factory/nodes/acme-1/trend", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(trend.status == .serviceUnavailable)
            #expect(!trend.text.contains("boom"))
        }
    }

    @Test("usage history: the tenant's ledger by bucket, model and key; 400 on a bad range, 404 without a subscription")
    func usageHistory() async throws {
        try await Self.withClient { client, fleet in
            try await Self.recordLedger(fleet)
            let response = try await client.execute(uri: "/api/v1/factory/usage?range=1h", method: .get, headers: .bearer(fleet.keys["umbrella-member"]))
            #expect(response.status == .ok, "\(response.text)")
            let body = response.object
            #expect(body["range"] as? String == "1h" && body["bucketSeconds"] as? Int == 60)
            let totals = try #require(body["totals"] as? [String: Any])
            #expect(totals["tokensIn"] as? Int == 1000 && totals["tokensOut"] as? Int == 500 && totals["requests"] as? Int == 12,
                    "another tenant's row and last month's do not count: \(totals)")
            let series = try #require(body["series"] as? [[String: Any]])
            #expect(series.count == 60)
            #expect(series.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) } == 12)
            #expect((body["byModel"] as? [[String: Any]])?.first?["model"] as? String == "m")
            #expect((body["byKey"] as? [[String: Any]])?.first?["keyId"] as? String == "k_x")
            let subscription = try #require((body["subscriptions"] as? [[String: Any]])?.first)
            #expect(subscription["quotaUsed"] as? Int == 1500 && subscription["quotaLimit"] as? Int == 1_000_000)
            #expect(!response.text.contains("acme"))
            Self.expectNoHardware(response.text)

            let bad = try await client.execute(uri: "/api/v1/factory/usage?range=2h", method: .get, headers: .bearer(fleet.keys["umbrella-member"]))
            #expect(bad.status == .badRequest && bad.text.contains("range must be one of"))
            for tenant in ["hooli-member", "acme-member"] {
                let none = try await client.execute(uri: "/api/v1/factory/usage", method: .get, headers: .bearer(fleet.keys[tenant]))
                #expect(none.status == .notFound, "\(tenant): \(none.text)")
            }
            let anonymous = try await client.execute(uri: "/api/v1/factory/usage", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
    }
}
