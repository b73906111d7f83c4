import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PrometheusClient
import Server
import TestSupport
import Testing

/// `/prometheus/api/v1/…` through the production router, relaying to a fake Prometheus on
/// loopback that records every request it gets (what reached "Prometheus" is the evidence) and
/// answers canned JSON.
@Suite("Tenant-scoped Prometheus API")
struct ScopedPrometheusAPITests {
    /// What the fake Prometheus received.
    actor Received {
        struct Call: Sendable {
            var method: String
            var path: String
            var parameters: [(String, String)]

            func all(_ name: String) -> [String] { parameters.filter { $0.0 == name }.map(\.1) }
            func first(_ name: String) -> String? { all(name).first }
        }

        var calls: [Call] = []
        func record(_ call: Call) { calls.append(call) }
        func last(_ path: String) -> Call? { calls.last { $0.path == path } }
    }

    static let vector = #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","tenant":"acme"},"value":[1700000000,"1"]}]}}"#
    static let badData = #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"start\": cannot parse \"yesterday\" to a valid timestamp"}"#
    static let alerts = #"""
        {"status":"success","data":{"alerts":[
          {"labels":{"alertname":"GPUTemperatureHigh","tenant":"acme","node":"acme-1"},"annotations":{},"state":"firing","activeAt":"2026-01-02T03:04:05Z","value":"8.7e+01"},
          {"labels":{"alertname":"ExporterDown","tenant":"globex","node":"globex-1"},"annotations":{},"state":"firing","activeAt":"2026-01-02T03:00:00Z","value":"0e+00"},
          {"labels":{"alertname":"TokenQuotaNearlyUsed","tenant":"umbrella","pool":"shared"},"annotations":{},"state":"pending","activeAt":"2026-01-02T03:00:00Z","value":"9.1e-01"},
          {"labels":{"alertname":"Watchdog"},"annotations":{},"state":"firing","activeAt":"2026-01-01T00:00:00Z","value":"1e+00"}
        ]}}
        """#
    static let rules = #"""
        {"status":"success","data":{"groups":[
          {"name":"aifactory-gpu","file":"rules.yml","interval":15,"rules":[
            {"type":"alerting","name":"GPUTemperatureHigh","query":"max by (tenant, node, gpu) (DCGM_FI_DEV_GPU_TEMP) > 85","duration":300,
             "labels":{"severity":"warning"},"annotations":{},"health":"ok","state":"firing","alerts":[
               {"labels":{"alertname":"GPUTemperatureHigh","tenant":"globex","node":"globex-1"},"annotations":{},"state":"firing","activeAt":"2026-01-02T03:04:05Z","value":"9e+01"},
               {"labels":{"alertname":"GPUTemperatureHigh","tenant":"acme","node":"acme-1"},"annotations":{},"state":"pending","activeAt":"2026-01-02T03:04:05Z","value":"8.6e+01"}]},
            {"type":"recording","name":"tenant:gpu_util:avg","query":"avg by (tenant) (DCGM_FI_DEV_GPU_UTIL)","labels":{},"health":"err","lastError":"found duplicate series for the match group {node=\"globex-1\"}"}]},
          {"name":"aifactory-inventory","file":"rules.yml","interval":15,"rules":[
            {"type":"alerting","name":"GPUMetricsAbsent","query":"absent_over_time(DCGM_FI_DEV_GPU_TEMP{node=\"globex-1\"}[10m])","duration":0,
             "labels":{"severity":"critical","node":"globex-1","tenant":"globex"},"annotations":{},"health":"ok","state":"inactive","alerts":[]}]}
        ]}}
        """#
    static let metadata = #"{"status":"success","data":{"DCGM_FI_DEV_GPU_TEMP":[{"type":"gauge","help":"GPU temperature (in C).","unit":""}],"aifactory_usage_tokens_total":[{"type":"counter","help":"Tokens metered.","unit":""}],"vllm:num_requests_running":[{"type":"gauge","help":"Requests running.","unit":""}]}}"#

    /// Serves a fake Prometheus API on 127.0.0.1:0 while `run` executes.
    static func withFakePrometheus<T: Sendable>(_ received: Received, _ run: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        @Sendable func handle(_ request: Request, _ path: String) async throws -> Response {
            var text = request.uri.query ?? ""
            if request.method == .post {
                let body = try await request.body.collect(upTo: 1 << 20)
                text = String(buffer: body) + (text.isEmpty ? "" : "&" + text)
            }
            let items = URLComponents(string: "http://fake/?" + text)?.queryItems ?? []
            let call = Received.Call(method: request.method.rawValue, path: path, parameters: items.map { ($0.name, $0.value ?? "") })
            await received.record(call)
            var status = HTTPResponse.Status.ok
            let body: String
            switch path {
            case "/api/v1/alerts": body = alerts
            case "/api/v1/rules": body = rules
            case "/api/v1/metadata": body = metadata
            case "/api/v1/label/__name__/values":
                let names = call.all("match[]").contains { $0.contains(#"tenant="umbrella""#) }
                    ? ["aifactory_usage_tokens_total"] : ["DCGM_FI_DEV_GPU_TEMP", "vllm:num_requests_running"]
                body = #"{"status":"success","data":["# + names.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
            case "/api/v1/labels", "/api/v1/label/node/values": body = #"{"status":"success","data":["__name__","node","tenant"]}"#
            case "/api/v1/series": body = #"{"status":"success","data":[{"__name__":"up","tenant":"acme"}]}"#
            default:
                if call.first("start") == "yesterday" {
                    status = .badRequest
                    body = badData
                } else {
                    body = vector
                }
            }
            return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        for path in ["query", "query_range", "query_exemplars", "series", "labels", "label/{name}/values", "metadata", "rules", "alerts"] {
            let route = path.replacingOccurrences(of: "{name}", with: ":name")
            router.get(RouterPath("/api/v1/" + route)) { request, context in
                try await handle(request, "/api/v1/" + path.replacingOccurrences(of: "{name}", with: context.parameters.get("name") ?? ""))
            }
            router.post(RouterPath("/api/v1/" + route)) { request, context in
                try await handle(request, "/api/v1/" + path.replacingOccurrences(of: "{name}", with: context.parameters.get("name") ?? ""))
            }
        }
        return try await withLoopbackServer(router, run)
    }

    /// The production router over the test fleet, relaying to the fake Prometheus at `url`
    /// (no Prometheus at all when `nil`).
    static func withAPI(
        _ body: @Sendable (_ client: any TestClientProtocol, _ fleet: TestFleet, _ received: Received) async throws -> Void,
        prometheus: Bool = true
    ) async throws {
        let fleet = try await TestFleet.make()
        let received = Received()
        do {
            try await withFakePrometheus(received) { url in
                let client = prometheus ? PrometheusClient(baseURL: url, timeout: .seconds(5)) : nil
                let dependencies = ServerDependencies(store: fleet.store, serviceDiscoveryToken: "sd-secret", prometheus: client)
                let app = Application(router: buildRouter(ServerConfiguration(), dependencies: dependencies))
                try await app.test(.router) { client in try await body(client, fleet, received) }
            }
        } catch {
            await fleet.close()
            throw error
        }
        await fleet.close()
    }

    static func basic(_ user: String, _ password: String?) -> HTTPFields {
        [.authorization: "Basic " + Data("\(user):\(password ?? "")".utf8).base64EncodedString()]
    }

    static func form(_ key: String?) -> HTTPFields {
        var fields = HTTPFields.bearer(key)
        fields[.contentType] = "application/x-www-form-urlencoded"
        return fields
    }

    /// Percent-encodes a query-string value.
    static func q(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// Checks a Prometheus error envelope and returns its message.
    @discardableResult
    static func expectEnvelope(_ response: TestResponse, _ status: HTTPResponse.Status, _ type: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.object["status"] as? String == "error", sourceLocation: sourceLocation)
        #expect(response.object["errorType"] as? String == type, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/json", sourceLocation: sourceLocation)
        let message = response.object["error"] as? String ?? ""
        #expect(!message.isEmpty, sourceLocation: sourceLocation)
        return message
    }

    @Test("a bearer key scopes the query to its tenant, and the answer is Prometheus's body byte for byte")
    func bearer() async throws {
        try await Self.withAPI { client, fleet, received in
            let response = try await client.execute(uri: "/prometheus/api/v1/query?query=up&time=1700000000", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(response.status == .ok)
            #expect(response.text == Self.vector)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.headers[.cacheControl] == "no-store")
            let call = try #require(await received.last("/api/v1/query"))
            #expect(call.method == "POST")
            #expect(call.all("query") == [#"up{tenant="acme"}"#])
            #expect(call.first("time") == "1700000000")
        }
    }

    @Test("the key as the basic-auth password (any user name) is accepted, as Grafana's data source sends it")
    func basicAuth() async throws {
        try await Self.withAPI { client, fleet, received in
            let response = try await client.execute(
                uri: "/prometheus/api/v1/query?query=\(Self.q("sum(rate(x[5m]))"))", method: .get, headers: Self.basic("grafana", fleet.keys["globex-admin"]))
            #expect(response.status == .ok, "\(response.text)")
            #expect(await received.last("/api/v1/query")?.all("query") == [#"sum(rate(x{tenant="globex"}[5m]))"#])
        }
    }

    @Test("no key, a wrong key or an empty basic password answer 401 in Prometheus's error envelope, and nothing reaches Prometheus")
    func unauthorized() async throws {
        try await Self.withAPI { client, fleet, received in
            let missing = try await client.execute(uri: "/prometheus/api/v1/query?query=up", method: .get)
            let message = Self.expectEnvelope(missing, .unauthorized, "unauthorized")
            #expect(message.contains("Bearer") && message.contains("basic-auth"))
            #expect(missing.headers[.wwwAuthenticate]?.contains("Basic") == true)
            let wrong = try await client.execute(uri: "/prometheus/api/v1/query?query=up", method: .get, headers: .bearer("aif_nope_" + String(repeating: "x", count: 43)))
            Self.expectEnvelope(wrong, .unauthorized, "unauthorized")
            let wrongBasic = try await client.execute(uri: "/prometheus/api/v1/labels", method: .get, headers: Self.basic("grafana", "not-a-key"))
            Self.expectEnvelope(wrongBasic, .unauthorized, "unauthorized")
            let empty = try await client.execute(uri: "/prometheus/api/v1/labels", method: .get, headers: Self.basic(fleet.keys["acme-admin"] ?? "", nil))
            Self.expectEnvelope(empty, .unauthorized, "unauthorized")
            #expect(await received.calls.isEmpty)
        }
    }

    @Test("a POST form body is read like the URL (body first), and its query and every match[] are rewritten")
    func postForm() async throws {
        try await Self.withAPI { client, fleet, received in
            let body = "query=\(Self.q("sum by (node) (rate(vllm:request_success_total[5m]))"))&start=1700000000&end=1700003600&step=15&bogus=1"
            let range = try await client.execute(uri: "/prometheus/api/v1/query_range", method: .post, headers: Self.form(fleet.keys["acme-member"]), body: ByteBuffer(string: body))
            #expect(range.status == .ok, "\(range.text)")
            let call = try #require(await received.last("/api/v1/query_range"))
            #expect(call.all("query") == [#"sum by (node) (rate(vllm:request_success_total{tenant="acme"}[5m]))"#])
            #expect(call.first("start") == "1700000000" && call.first("end") == "1700003600" && call.first("step") == "15")
            #expect(call.first("bogus") == nil, "unknown parameters are not forwarded")

            let series = try await client.execute(
                uri: "/prometheus/api/v1/series?match[]=\(Self.q("DCGM_FI_DEV_GPU_TEMP"))", method: .post,
                headers: Self.form(fleet.keys["acme-member"]), body: ByteBuffer(string: "match%5B%5D=up&start=1700000000"))
            #expect(series.status == .ok, "\(series.text)")
            #expect(await received.last("/api/v1/series")?.all("match[]") == [#"up{tenant="acme"}"#, #"DCGM_FI_DEV_GPU_TEMP{tenant="acme"}"#])
        }
    }

    @Test("a POST body of another type, or broken form encoding, is bad_data naming the problem")
    func badBodies() async throws {
        try await Self.withAPI { client, fleet, received in
            var json = HTTPFields.bearer(fleet.keys["acme-member"])
            json[.contentType] = "application/json"
            let typed = try await client.execute(uri: "/prometheus/api/v1/query", method: .post, headers: json, body: ByteBuffer(string: #"{"query":"up"}"#))
            #expect(Self.expectEnvelope(typed, .badRequest, "bad_data").contains("application/x-www-form-urlencoded"))
            let broken = try await client.execute(uri: "/prometheus/api/v1/query", method: .post, headers: Self.form(fleet.keys["acme-member"]), body: ByteBuffer(string: "query=up%zz"))
            #expect(Self.expectEnvelope(broken, .badRequest, "bad_data").contains("form"))
            let missing = try await client.execute(uri: "/prometheus/api/v1/query", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(Self.expectEnvelope(missing, .badRequest, "bad_data").contains(#""query""#))
            let syntax = try await client.execute(uri: "/prometheus/api/v1/query?query=\(Self.q("sum(up"))", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(Self.expectEnvelope(syntax, .badRequest, "bad_data").contains("parse error"))
            let notSelector = try await client.execute(uri: "/prometheus/api/v1/series?match[]=\(Self.q("sum(up)"))", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(Self.expectEnvelope(notSelector, .badRequest, "bad_data").contains("not a series selector"))
            let noMatch = try await client.execute(uri: "/prometheus/api/v1/series", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(Self.expectEnvelope(noMatch, .badRequest, "bad_data").contains("match[]"))
            let ruleMatch = try await client.execute(uri: "/prometheus/api/v1/rules?match[]=up", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(Self.expectEnvelope(ruleMatch, .badRequest, "bad_data").contains("rule_name[]"))
            #expect(await received.calls.isEmpty)
        }
    }

    struct Foreign: Sendable, CustomTestStringConvertible {
        var uri: String
        var parameter: String
        var testDescription: String { uri }
    }

    @Test("a query or match[] reaching another tenant is refused 403 in the error envelope, and nothing reaches Prometheus", arguments: [
        Foreign(uri: "/prometheus/api/v1/series?match[]=\(q(#"{tenant="globex"}"#))", parameter: "match[]"),
        Foreign(uri: "/prometheus/api/v1/labels?match[]=up&match[]=\(q(#"up{tenant=~"glob.*"}"#))", parameter: "match[]"),
        Foreign(uri: "/prometheus/api/v1/label/node/values?match[]=\(q(#"up{tenant!="acme"}"#))", parameter: "match[]"),
        Foreign(uri: "/prometheus/api/v1/query?query=\(q(#"up{tenant="globex"}"#))", parameter: "query"),
        Foreign(uri: "/prometheus/api/v1/query_range?query=\(q(#"topk(scalar(count(x{tenant="globex"})), up)"#))&start=1&end=2&step=1", parameter: "query"),
        Foreign(uri: "/prometheus/api/v1/query_exemplars?query=\(q(#"x{tenant=""}"#))", parameter: "query"),
    ])
    func foreign(_ row: Foreign) async throws {
        try await Self.withAPI { client, fleet, received in
            let response = try await client.execute(uri: row.uri, method: .get, headers: .bearer(fleet.keys["acme-member"]))
            let message = Self.expectEnvelope(response, .forbidden, "forbidden")
            #expect(message.contains("invalid parameter \"\(row.parameter)\"") && message.contains("forbidden"), "\(message)")
            #expect(await received.calls.isEmpty)
        }
    }

    @Test("labels and label values without match[] list only the tenant's series")
    func labelsRestricted() async throws {
        try await Self.withAPI { client, fleet, received in
            let labels = try await client.execute(uri: "/prometheus/api/v1/labels?start=1700000000", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(labels.status == .ok)
            let call = try #require(await received.last("/api/v1/labels"))
            #expect(call.all("match[]") == [#"{__name__=~".+", tenant="acme"}"#])
            #expect(call.first("start") == "1700000000")
            let values = try await client.execute(uri: "/prometheus/api/v1/label/node/values", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(values.status == .ok)
            let valuesCall = try #require(await received.last("/api/v1/label/node/values"))
            #expect(valuesCall.method == "GET")
            #expect(valuesCall.all("match[]") == [#"{__name__=~".+", tenant="acme"}"#])
            let invalid = try await client.execute(uri: "/prometheus/api/v1/label/no-such.label/values", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(Self.expectEnvelope(invalid, .badRequest, "bad_data").contains("invalid label name"))
        }
    }

    @Test("a consumer reads only series carrying its own tenant: usage metadata, its own alerts, never hardware")
    func consumer() async throws {
        try await Self.withAPI { client, fleet, received in
            let key = fleet.keys["umbrella-member"]
            let query = try await client.execute(uri: "/prometheus/api/v1/query?query=\(Self.q("DCGM_FI_DEV_GPU_TEMP"))", method: .get, headers: .bearer(key))
            #expect(query.status == .ok)
            #expect(await received.last("/api/v1/query")?.all("query") == [#"DCGM_FI_DEV_GPU_TEMP{tenant="umbrella"}"#])
            let pool = try await client.execute(uri: "/prometheus/api/v1/series?match[]=\(Self.q(#"up{pool="shared"}"#))", method: .get, headers: .bearer(key))
            #expect(pool.status == .ok)
            #expect(await received.last("/api/v1/series")?.all("match[]") == [#"up{pool="shared", tenant="umbrella"}"#])

            let metadata = try await client.execute(uri: "/prometheus/api/v1/metadata", method: .get, headers: .bearer(key))
            #expect(metadata.status == .ok)
            let names = (metadata.object["data"] as? [String: Any]).map { Set($0.keys) }
            #expect(names == ["aifactory_usage_tokens_total"])
            #expect(await received.last("/api/v1/label/__name__/values")?.all("match[]") == [#"{__name__=~".+", tenant="umbrella"}"#])

            let alerts = try await client.execute(uri: "/prometheus/api/v1/alerts", method: .get, headers: .bearer(key))
            let listed = ((alerts.object["data"] as? [String: Any])?["alerts"] as? [[String: Any]] ?? []).compactMap { ($0["labels"] as? [String: Any])?["alertname"] as? String }
            #expect(listed == ["TokenQuotaNearlyUsed"])
            #expect(!alerts.text.contains("globex-1") && !alerts.text.contains("acme-1"))
        }
    }

    @Test("rules: another tenant's per-node rules are left out, and alerting rules keep only the caller's alerts with the state they make")
    func rules() async throws {
        try await Self.withAPI { client, fleet, _ in
            let response = try await client.execute(uri: "/prometheus/api/v1/rules", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(response.status == .ok)
            #expect(!response.text.contains("globex"), "\(response.text)")
            let groups = (response.object["data"] as? [String: Any])?["groups"] as? [[String: Any]] ?? []
            #expect(groups.compactMap { $0["name"] as? String } == ["aifactory-gpu"])
            let rules = groups.first?["rules"] as? [[String: Any]] ?? []
            #expect(rules.count == 2)
            let alerting = try #require(rules.first)
            #expect(alerting["state"] as? String == "pending", "globex's firing alert must not make acme's rule firing")
            #expect((alerting["alerts"] as? [[String: Any]])?.count == 1)
            #expect(rules.last?["lastError"] as? String == "the rule's last evaluation failed; the site operator sees why")

            let excluded = try await client.execute(uri: "/prometheus/api/v1/rules?exclude_alerts=true", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            let first = (((excluded.object["data"] as? [String: Any])?["groups"] as? [[String: Any]])?.first?["rules"] as? [[String: Any]])?.first
            #expect((first?["alerts"] as? [Any])?.isEmpty == true)
            #expect(first?["state"] as? String == "pending")

            let operatorView = try await client.execute(uri: "/prometheus/api/v1/rules", method: .get, headers: .bearer(fleet.keys["operator"]))
            #expect(operatorView.text == Self.rules, "operators get Prometheus's answer unchanged")
        }
    }

    @Test("alerts: a tenant sees its own, an operator every one unchanged")
    func alerts() async throws {
        try await Self.withAPI { client, fleet, _ in
            let response = try await client.execute(uri: "/prometheus/api/v1/alerts", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            let alerts = (response.object["data"] as? [String: Any])?["alerts"] as? [[String: Any]] ?? []
            #expect(alerts.compactMap { ($0["labels"] as? [String: Any])?["alertname"] as? String } == ["GPUTemperatureHigh"])
            #expect(response.object["status"] as? String == "success")
            let all = try await client.execute(uri: "/prometheus/api/v1/alerts", method: .get, headers: .bearer(fleet.keys["operator"]))
            #expect(all.text == Self.alerts)
        }
    }

    @Test("an operator reads the whole fleet: queries are only made canonical, labels get no match[]")
    func operatorScope() async throws {
        try await Self.withAPI { client, fleet, received in
            let query = try await client.execute(uri: "/prometheus/api/v1/query?query=\(Self.q(#"up{tenant="globex"}"#))", method: .get, headers: .bearer(fleet.keys["operator"]))
            #expect(query.status == .ok)
            #expect(await received.last("/api/v1/query")?.all("query") == [#"up{tenant="globex"}"#])
            _ = try await client.execute(uri: "/prometheus/api/v1/labels", method: .get, headers: .bearer(fleet.keys["operator"]))
            #expect(await received.last("/api/v1/labels")?.all("match[]") == [])
            let metadata = try await client.execute(uri: "/prometheus/api/v1/metadata", method: .get, headers: .bearer(fleet.keys["operator"]))
            #expect(metadata.text == Self.metadata)
        }
    }

    @Test("Prometheus's own bad_data refusal comes back with its status and body unchanged")
    func prometheusRefusal() async throws {
        try await Self.withAPI { client, fleet, _ in
            let response = try await client.execute(
                uri: "/prometheus/api/v1/query_range?query=up&start=yesterday&end=1&step=1", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(response.status == .badRequest)
            #expect(response.text == Self.badData)
        }
    }

    @Test("without a configured Prometheus every endpoint answers 503 unavailable")
    func notConfigured() async throws {
        try await Self.withAPI({ client, fleet, _ in
            let response = try await client.execute(uri: "/prometheus/api/v1/query?query=up", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            Self.expectEnvelope(response, .serviceUnavailable, "unavailable")
        }, prometheus: false)
    }
}
