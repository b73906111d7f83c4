import AsyncHTTPClient
import Export
import Foundation
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1
import Simulator
import Stack
import TestSupport
import Testing

/// The tenant-scoped Prometheus API (`/prometheus/api/v1/…`) against the real Prometheus of a
/// demo stack: for every tenant T, the answer through the API with T's key equals Prometheus's
/// own answer to the query with T's matcher added by hand — over the exported Grafana
/// dashboard's queries and the page's queries, instant and range, and the label/series reads.
/// promtool, pointed at `<server>/prometheus` with the key, reads it too.
///
/// Runs in its own step of `scripts/test.sh` (`AIFACTORY_PROMETHEUS_API_DIFFERENTIAL=1`), not
/// in the parallel Swift test run, so the demo stack it starts is timed on its own.
@Suite("Prometheus API differential against real Prometheus", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["AIFACTORY_PROMETHEUS_API_DIFFERENTIAL"] == "1"))
struct ScopedPrometheusAPIDifferentialTests {
    /// The page's queries (as `Sources/Telemetry` writes them, before scoping) with the tenant
    /// matcher written in by hand on every selector (`$T` is the tenant).
    static let pageQueries: [(query: String, scoped: String, rangeToo: Bool)] = [
        // SnapshotBuilder (node health).
        (#"up{job="dcgm"}"#, #"up{job="dcgm", tenant="$T"}"#, true),
        (#"{__name__=~"DCGM_FI_DEV_GPU_TEMP|DCGM_FI_DEV_GPU_UTIL|DCGM_FI_DEV_POWER_USAGE", job="dcgm"}"#,
         #"{__name__=~"DCGM_FI_DEV_GPU_TEMP|DCGM_FI_DEV_GPU_UTIL|DCGM_FI_DEV_POWER_USAGE", job="dcgm", tenant="$T"}"#, true),
        ("timestamp(DCGM_FI_DEV_GPU_TEMP)", #"timestamp(DCGM_FI_DEV_GPU_TEMP{tenant="$T"})"#, true),
        ("max_over_time(timestamp(DCGM_FI_DEV_GPU_TEMP)[10m:30s])", #"max_over_time(timestamp(DCGM_FI_DEV_GPU_TEMP{tenant="$T"})[10m:30s])"#, false),
        ("DCGM_FI_DEV_GPU_TEMP[10m]", #"DCGM_FI_DEV_GPU_TEMP{tenant="$T"}[10m]"#, false),
        ("DCGM_FI_DEV_XID_ERRORS offset 1m", #"DCGM_FI_DEV_XID_ERRORS{tenant="$T"} offset 1m"#, true),
        ("max_over_time(DCGM_EXP_XID_ERRORS_COUNT[10m])", #"max_over_time(DCGM_EXP_XID_ERRORS_COUNT{tenant="$T"}[10m])"#, true),
        ("rate(DCGM_FI_DEV_PCIE_REPLAY_COUNTER[5m]) * 60", #"rate(DCGM_FI_DEV_PCIE_REPLAY_COUNTER{tenant="$T"}[5m]) * 60"#, true),
        // TrendSeries (node detail trend).
        (#"100 * DCGM_FI_DEV_FB_USED{job="dcgm"} / (DCGM_FI_DEV_FB_USED{job="dcgm"} + DCGM_FI_DEV_FB_FREE{job="dcgm"})"#,
         #"100 * DCGM_FI_DEV_FB_USED{job="dcgm", tenant="$T"} / (DCGM_FI_DEV_FB_USED{job="dcgm", tenant="$T"} + DCGM_FI_DEV_FB_FREE{job="dcgm", tenant="$T"})"#, true),
        // InferenceReader (golden signals).
        ("histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[5m])))",
         #"histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{tenant="$T"}[5m])))"#, true),
        ("(sum(rate(vllm:inter_token_latency_seconds_sum[5m])) or sum(rate(vllm:time_per_output_token_seconds_sum[5m]))) / (sum(rate(vllm:inter_token_latency_seconds_count[5m])) or sum(rate(vllm:time_per_output_token_seconds_count[5m])))",
         #"(sum(rate(vllm:inter_token_latency_seconds_sum{tenant="$T"}[5m])) or sum(rate(vllm:time_per_output_token_seconds_sum{tenant="$T"}[5m]))) / (sum(rate(vllm:inter_token_latency_seconds_count{tenant="$T"}[5m])) or sum(rate(vllm:time_per_output_token_seconds_count{tenant="$T"}[5m])))"#, true),
        (#"max({__name__=~"vllm:kv_cache_usage_perc|vllm:gpu_cache_usage_perc"})"#, #"max({__name__=~"vllm:kv_cache_usage_perc|vllm:gpu_cache_usage_perc", tenant="$T"})"#, true),
        ("sum by (model_name, finished_reason) (rate(vllm:request_success_total[5m]))",
         #"sum by (model_name, finished_reason) (rate(vllm:request_success_total{tenant="$T"}[5m]))"#, true),
        (#"count by (model_name) ({__name__=~"vllm:num_requests_running|vllm:num_requests_waiting", job="vllm"})"#,
         #"count by (model_name) ({__name__=~"vllm:num_requests_running|vllm:num_requests_waiting", job="vllm", tenant="$T"})"#, true),
        // VLLMLoadReader (the gateway's routing view).
        ("sum by (node) (last_over_time(vllm:num_requests_running[15s]))", #"sum by (node) (last_over_time(vllm:num_requests_running{tenant="$T"}[15s]))"#, true),
        // UsageReader (the consumer's usage).
        ("sum by (direction) (increase(aifactory_usage_tokens_total[30d]))", #"sum by (direction) (increase(aifactory_usage_tokens_total{tenant="$T"}[30d]))"#, true),
        ("sum(increase(aifactory_usage_requests_total[30d]))", #"sum(increase(aifactory_usage_requests_total{tenant="$T"}[30d]))"#, true),
        ("sum(rate(aifactory_usage_request_duration_seconds_sum[3600s])) / sum(rate(aifactory_usage_request_duration_seconds_count[3600s]))",
         #"sum(rate(aifactory_usage_request_duration_seconds_sum{tenant="$T"}[3600s])) / sum(rate(aifactory_usage_request_duration_seconds_count{tenant="$T"}[3600s]))"#, true),
        ("histogram_quantile(0.95, sum by (le) (rate(aifactory_usage_request_duration_seconds_bucket[3600s])))",
         #"histogram_quantile(0.95, sum by (le) (rate(aifactory_usage_request_duration_seconds_bucket{tenant="$T"}[3600s])))"#, true),
    ]

    /// A dashboard query as Grafana interpolates it: `$tenant` as given, every other variable
    /// "All" (`.*`), `$__rate_interval` 1m and `$__range` 5m.
    static func interpolate(_ query: String, tenant: String) -> String {
        query
            .replacingOccurrences(of: "$__rate_interval", with: "1m")
            .replacingOccurrences(of: "$__range", with: "5m")
            .replacingOccurrences(of: "$tenant", with: tenant)
            .replacingOccurrences(of: "$node", with: ".*")
            .replacingOccurrences(of: "$model_name", with: ".*")
    }

    /// One exchange: status and parsed JSON.
    struct Answer {
        var status: Int
        var json: Any
        var text: String
    }

    static func send(_ url: String, method: HTTPMethod = .GET, form: [(String, String)], key: String? = nil) async throws -> Answer {
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        let encoded = form.map { pair in
            [pair.0, pair.1].map { $0.addingPercentEncoding(withAllowedCharacters: unreserved) ?? $0 }.joined(separator: "=")
        }.joined(separator: "&")
        var request = HTTPClientRequest(url: method == .GET && !encoded.isEmpty ? url + "?" + encoded : url)
        request.method = method
        if method == .POST {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: encoded))
        }
        if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 32 << 20)
        let data = Data(buffer: body)
        return Answer(status: Int(response.status.code), json: (try? JSONSerialization.jsonObject(with: data)) ?? NSNull(), text: String(decoding: data, as: UTF8.self))
    }

    /// The answer in a form that compares equal exactly when the two answers carry the same
    /// data: series of a result sorted by their labels (Prometheus leaves an instant vector's
    /// order open), keys sorted.
    static func normalised(_ answer: Answer) -> String {
        guard var envelope = answer.json as? [String: Any] else { return "\(answer.status) \(answer.text)" }
        if var data = envelope["data"] as? [String: Any], let result = data["result"] as? [[String: Any]] {
            data["result"] = result.sorted { key($0["metric"]) < key($1["metric"]) }
            envelope["data"] = data
        }
        let bytes = (try? JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys])) ?? Data()
        return "\(answer.status) " + String(decoding: bytes, as: UTF8.self)
    }

    static func key(_ labels: Any?) -> String {
        let dictionary = labels as? [String: String] ?? [:]
        return dictionary.keys.sorted().map { "\($0)=\(dictionary[$0] ?? "")" }.joined(separator: ",")
    }

    /// Number of series in a success answer (0 for anything else).
    static func seriesCount(_ answer: Answer) -> Int {
        (((answer.json as? [String: Any])?["data"] as? [String: Any])?["result"] as? [Any])?.count ?? 0
    }

    @Test("every tenant's answer through /prometheus equals Prometheus's answer with the tenant's matcher added by hand")
    func differential() async throws {
        guard ExternalTool.require("prometheus") != nil, let promtool = ExternalTool.require("promtool") else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-promapi-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        var configuration = DemoConfiguration(
            stateDirectory: state, port: 0, fleet: FleetFile.demo, scrapeInterval: .seconds(1), simulationOffset: .seconds(600), alertmanager: false)
        configuration.consumerTrafficInterval = .milliseconds(500)
        try await withDemoStack(configuration) { credentials in
            let prometheus = credentials.prometheusURL + "/api/v1/"
            let api = credentials.url + "/prometheus/api/v1/"
            // Enough history for the rates: 20 scrapes of every exporter, and metered usage.
            let ready = try await PrometheusHTTP.eventually(timeout: .seconds(90)) {
                let scrapes = try await PrometheusHTTP.query(credentials.prometheusURL, #"min(count_over_time(up{job=~"dcgm|vllm"}[1m]))"#)
                let usage = try await PrometheusHTTP.query(credentials.prometheusURL, "count(aifactory_usage_requests_total)")
                return (scrapes.first?.value ?? 0) >= 20 && (usage.first?.value ?? 0) > 0
            }
            #expect(ready, "the demo's Prometheus never had 20 scrapes of every exporter and metered usage")
            // Evaluated a few seconds back, so every scrape up to then has been appended.
            let now = Int(Date().timeIntervalSince1970) - 3
            let instant = [("time", "\(now)")]
            let range = [("start", "\(now - 120)"), ("end", "\(now)"), ("step", "5")]
            let dashboard = GrafanaDashboard.standard()

            var compared = 0
            for login in credentials.tenants {
                let isOperator = login.role == "operator"
                func scoped(_ text: String) -> String { text.replacingOccurrences(of: "$T", with: login.tenant) }
                var pairs: [(api: String, direct: String, rangeToo: Bool)] = dashboard.queries.map {
                    (Self.interpolate($0, tenant: ".*"), Self.interpolate($0, tenant: isOperator ? ".*" : login.tenant), true)
                }
                pairs += Self.pageQueries.map { ($0.query, isOperator ? $0.query : scoped($0.scoped), $0.rangeToo) }
                var nonEmpty = 0
                for pair in pairs {
                    let through = try await Self.send(api + "query", method: .POST, form: [("query", pair.api)] + instant, key: login.apiKey)
                    let direct = try await Self.send(prometheus + "query", form: [("query", pair.direct)] + instant)
                    #expect(through.status == 200, "\(login.tenant) \(pair.api): \(through.text.prefix(300))")
                    #expect(Self.normalised(through) == Self.normalised(direct), "\(login.tenant) instant \(pair.api)")
                    if Self.seriesCount(direct) > 0 { nonEmpty += 1 }
                    compared += 1
                    guard pair.rangeToo else { continue }
                    let throughRange = try await Self.send(api + "query_range", method: .POST, form: [("query", pair.api)] + range, key: login.apiKey)
                    let directRange = try await Self.send(prometheus + "query_range", form: [("query", pair.direct)] + range)
                    #expect(Self.normalised(throughRange) == Self.normalised(directRange), "\(login.tenant) range \(pair.api)")
                    compared += 1
                }
                switch login.role {
                case "owner", "provider", "operator":
                    #expect(nonEmpty >= 20, "\(login.tenant): only \(nonEmpty) queries had data; the comparison would be vacuous")
                case "consumer":
                    #expect(nonEmpty >= 3, "\(login.tenant): its usage queries had no data")
                default:
                    #expect(nonEmpty == 0, "\(login.tenant) holds nothing, so nothing may answer")
                }

                // Label and series reads: without match[] the API lists the tenant's own series.
                // `name{}` with the tenant's matcher written in (operators: as it is).
                let hand: (String) -> String = { isOperator ? $0 : $0.replacingOccurrences(of: "{}", with: "{tenant=\"\(login.tenant)\"}") }
                let window = [("start", "\(now - 120)"), ("end", "\(now)")]
                let reads: [(api: String, apiForm: [(String, String)], direct: String, directForm: [(String, String)])] = [
                    ("labels", window, "labels", isOperator ? window : [("match[]", hand("{}"))] + window),
                    ("label/node/values", window, "label/node/values", isOperator ? window : [("match[]", hand("{}"))] + window),
                    ("label/tenant/values", [("match[]", "up")] + window, "label/tenant/values", [("match[]", hand("up{}"))] + window),
                    ("label/node/values", [("match[]", #"DCGM_FI_DEV_GPU_TEMP{tenant=~".*"}"#)] + window, "label/node/values", [("match[]", hand("DCGM_FI_DEV_GPU_TEMP{}"))] + window),
                    ("series", [("match[]", "up"), ("match[]", "aifactory_usage_requests_total")] + window,
                     "series", [("match[]", hand("up{}")), ("match[]", hand("aifactory_usage_requests_total{}"))] + window),
                ]
                for read in reads {
                    let through = try await Self.send(api + read.api, form: read.apiForm, key: login.apiKey)
                    let direct = try await Self.send(prometheus + read.direct, form: read.directForm)
                    #expect(through.status == 200, "\(login.tenant) \(read.api): \(through.text.prefix(300))")
                    #expect(Self.normalised(through) == Self.normalised(direct), "\(login.tenant) \(read.api) \(read.apiForm)")
                    compared += 1
                }
                if login.role == "consumer" {
                    // A consumer draws on a provider's hardware and never sees it.
                    let hardware = try await Self.send(api + "series", form: [("match[]", #"{__name__=~"DCGM_.+|vllm:.+"}"#)] + window, key: login.apiKey)
                    #expect(((hardware.json as? [String: Any])?["data"] as? [Any])?.isEmpty == true, "\(hardware.text.prefix(300))")
                    let names = try await Self.send(api + "label/__name__/values", form: window, key: login.apiKey)
                    let listed = (names.json as? [String: Any])?["data"] as? [String] ?? []
                    #expect(!listed.isEmpty && listed.allSatisfy { $0.hasPrefix("aifactory_usage_") }, "\(listed)")
                }
                if !isOperator {
                    let foreign = credentials.tenants.first { $0.tenant != login.tenant && $0.role != "operator" }?.tenant ?? "other"
                    let refused = try await Self.send(api + "series", form: [("match[]", "{tenant=\"\(foreign)\"}")], key: login.apiKey)
                    #expect(refused.status == 403 && (refused.json as? [String: Any])?["status"] as? String == "error", "\(refused.text)")
                }
            }
            #expect(compared > 200, "only \(compared) comparisons")
            print("note: prometheus API differential: \(compared) answers compared over \(credentials.tenants.count) logins")

            // promtool, pointed at <server>/prometheus with the key as the basic-auth password.
            let owner = try #require(credentials.tenants.first { $0.role == "owner" })
            let base = try #require(URL(string: credentials.url))
            let server = "http://promtool:\(owner.apiKey)@\(base.host ?? "127.0.0.1"):\(base.port ?? 80)/prometheus"
            let result = try await ProcessRunner.run(promtool, ["query", "instant", server, "up"], timeout: 60)
            #expect(result.status == 0, "\(result.output)")
            let lines = result.stdout.split(separator: "\n").filter { !$0.isEmpty }
            #expect(!lines.isEmpty && lines.allSatisfy { $0.contains("tenant=\"\(owner.tenant)\"") }, "\(result.stdout)")
            let labels = try await ProcessRunner.run(promtool, ["query", "labels", server, "tenant"], timeout: 60)
            #expect(labels.status == 0 && labels.stdout.split(separator: "\n") == [Substring(owner.tenant)], "\(labels.output)")
            let anonymous = try await ProcessRunner.run(promtool, ["query", "instant", credentials.url + "/prometheus", "up"], timeout: 60)
            #expect(anonymous.status != 0 && (anonymous.output.contains("unauthorized") || anonymous.output.contains("401")), "\(anonymous.output)")
        }
    }
}
