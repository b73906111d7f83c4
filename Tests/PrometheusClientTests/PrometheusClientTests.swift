import Foundation
import PromQL
import Testing

@testable import PrometheusClient

/// The client against an in-process fake Prometheus: what it sends and what it makes of answers.
@Suite("PrometheusClient")
struct PrometheusClientTests {
    static let endpoints: [String: CannedResponse] = [
        "/api/v1/query": .json(Fixtures.vector),
        "/api/v1/query_range": .json(Fixtures.matrix),
        "/api/v1/series": .json(Fixtures.series),
        "/api/v1/labels": .json(Fixtures.labels),
        "/api/v1/label/job/values": .json(Fixtures.labelValues),
        "/api/v1/rules": .json(Fixtures.rules),
        "/api/v1/targets": .json(Fixtures.targets),
        "/api/v1/status/buildinfo": .json(Fixtures.buildInfo),
        "/-/ready": .raw("Prometheus Server is Ready.\n", status: 200, contentType: "text/plain"),
    ]

    @Test("instant query posts the scoped query as a form and decodes the vector")
    func instantVector() async throws {
        try await FakePrometheus(responses: Self.endpoints).run { url, log in
            let client = PrometheusClient(baseURL: url, timeout: .milliseconds(2500))
            let at = Date(timeIntervalSince1970: 1_712_345_678.5)
            let samples = try await client.query(try TestScope.acme("up"), at: at)
            #expect(samples.count == 2, "the native-histogram element is skipped")
            #expect(samples[0] == VectorSample(labels: ["__name__": "up", "job": "dcgm", "tenant": "acme"], value: 1, timestamp: 1_712_345_678.5))
            #expect(samples[1].value.isNaN)

            let request = try #require(await log.last)
            #expect(request.method == "POST")
            #expect(request.path == "/api/v1/query")
            #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
            #expect(request.values("query") == [#"up{tenant="acme"}"#])
            #expect(request.values("time") == ["1712345678.5"])
            #expect(request.values("timeout") == ["2.5"])
        }
    }

    @Test("instant query decodes every result type", arguments: [
        (Fixtures.scalar, QueryResult.scalar(SamplePoint(time: 1_712_345_678, value: .infinity))),
        (Fixtures.string, QueryResult.string(time: 1_712_345_678, value: "hello")),
    ])
    func instantTypes(body: String, expected: QueryResult) async throws {
        try await FakePrometheus(responses: ["/api/v1/query": .json(body)]).run { url, _ in
            let result = try await PrometheusClient(baseURL: url).instantQuery(try TestScope.acme("up"))
            #expect(result == expected)
        }
    }

    @Test("vector convenience: a scalar is one unlabelled sample, a matrix is refused as the wrong type")
    func vectorConvenience() async throws {
        try await FakePrometheus(responses: ["/api/v1/query": .json(Fixtures.scalar)]).run { url, _ in
            let samples = try await PrometheusClient(baseURL: url).query(try TestScope.acme("scalar(up)"))
            #expect(samples == [VectorSample(labels: [:], value: .infinity, timestamp: 1_712_345_678)])
        }
        try await FakePrometheus(responses: ["/api/v1/query": .json(Fixtures.matrix)]).run { url, _ in
            let client = PrometheusClient(baseURL: url)
            await #expect(throws: PrometheusClientError.unexpectedResult(expected: "vector", got: "matrix")) {
                try await client.query(try TestScope.acme("up[1m]"))
            }
            let result = try await client.instantQuery(try TestScope.acme("up[1m]"))
            guard case .matrix(let series) = result else { Issue.record("expected a matrix, got \(result)"); return }
            #expect(series.count == 2)
        }
    }

    @Test("range query sends start, end and step and decodes series with ±Inf")
    func range() async throws {
        try await FakePrometheus(responses: Self.endpoints).run { url, log in
            let client = PrometheusClient(baseURL: url)
            let series = try await client.queryRange(
                try TestScope.acme("DCGM_FI_DEV_GPU_TEMP"),
                start: Date(timeIntervalSince1970: 1_712_345_600), end: Date(timeIntervalSince1970: 1_712_345_630.25), step: .seconds(15)
            )
            #expect(series.count == 2)
            #expect(series[0].labels["gpu"] == "0")
            #expect(series[0].points == [
                SamplePoint(time: 1_712_345_600, value: 61), SamplePoint(time: 1_712_345_615, value: 62.5),
                SamplePoint(time: 1_712_345_630, value: -.infinity),
            ])
            let request = try #require(await log.last)
            #expect(request.method == "POST")
            #expect(request.values("query") == [#"DCGM_FI_DEV_GPU_TEMP{tenant="acme"}"#])
            #expect(request.values("start") == ["1712345600"])
            #expect(request.values("end") == ["1712345630.25"])
            #expect(request.values("step") == ["15"])
        }
    }

    @Test("a range query with a non-positive step is refused before sending")
    func rangeStep() async throws {
        let client = PrometheusClient(baseURL: "http://127.0.0.1:1")
        await #expect(throws: PrometheusClientError.self) {
            try await client.queryRange(try TestScope.acme("up"), start: .now, end: .now, step: .zero)
        }
    }

    @Test("series, labels and label values send every scoped selector as match[]")
    func metadata() async throws {
        try await FakePrometheus(responses: Self.endpoints).run { url, log in
            let client = PrometheusClient(baseURL: url)
            let match = [try TestScope.acme("up"), try TestScope.acme(#"DCGM_FI_DEV_GPU_TEMP{gpu="0"}"#)]
            let start = Date(timeIntervalSince1970: 1_712_000_000)

            let series = try await client.series(match: match, start: start, end: start.addingTimeInterval(60))
            #expect(series == [["__name__": "up", "job": "dcgm", "tenant": "acme"], ["__name__": "up", "job": "vllm", "tenant": "acme"]])
            var request = try #require(await log.last)
            #expect(request.method == "POST" && request.path == "/api/v1/series")
            #expect(request.values("match[]") == match.map(\.text))
            #expect(request.values("start") == ["1712000000"] && request.values("end") == ["1712000060"])

            #expect(try await client.labels(match: match) == ["__name__", "job", "tenant"])
            request = try #require(await log.last)
            #expect(request.path == "/api/v1/labels" && request.values("match[]").count == 2)

            #expect(try await client.labelValues("job", match: match) == ["dcgm", "vllm"])
            request = try #require(await log.last)
            #expect(request.method == "GET" && request.path == "/api/v1/label/job/values")
            #expect(request.values("match[]") == match.map(\.text))
        }
    }

    @Test("metadata requests without a scoped selector, or with a bad label name, are refused locally")
    func metadataRefused() async throws {
        try await FakePrometheus(responses: Self.endpoints).run { url, log in
            let client = PrometheusClient(baseURL: url)
            for attempt in [
                { _ = try await client.labelValues("tenant", match: []) },
                { _ = try await client.labels(match: []) },
                { _ = try await client.series(match: []) },
                { _ = try await client.labelValues("job/../x", match: [try TestScope.acme("up")]) },
            ] as [@Sendable () async throws -> Void] {
                do {
                    try await attempt()
                    Issue.record("expected invalidRequest")
                } catch let error as PrometheusClientError {
                    guard case .invalidRequest = error else { Issue.record("got \(error)"); continue }
                    #expect(!error.isUpstreamOutage)
                }
            }
            #expect(await log.requests.isEmpty)
        }
    }

    @Test("rules, active targets and build info decode")
    func status() async throws {
        try await FakePrometheus(responses: Self.endpoints).run { url, log in
            let client = PrometheusClient(baseURL: url)
            let groups = try await client.rules()
            #expect(groups.count == 1)
            let group = try #require(groups.first)
            #expect(group.name == "gpu" && group.interval == 15 && group.rules.count == 2)
            #expect(group.rules[0] == PrometheusRule(
                kind: .alerting, name: "GPUHot", query: "DCGM_FI_DEV_GPU_TEMP >= 90", labels: ["severity": "critical"],
                annotations: ["summary": "hot"], duration: 300, state: "firing", health: "ok", lastError: nil
            ))
            #expect(group.rules[1].kind == .recording && group.rules[1].lastError == "boom")

            let targets = try await client.targets()
            #expect(await log.last?.query == "state=active")
            #expect(targets.count == 2)
            #expect(targets[0].labels["tenant"] == "acme" && targets[0].health == .up && targets[0].lastError == nil)
            #expect(targets[0].scrapeURL == "http://10.0.0.5:9400/metrics" && targets[0].scrapePool == "dcgm")
            let scraped = try #require(targets[0].lastScrape)
            #expect(abs(scraped.timeIntervalSince1970 - 1_712_311_872.25) < 0.001)
            #expect(targets[1].health == .down && targets[1].lastError == "connection refused" && targets[1].lastScrape == nil)

            let info = try await client.buildInfo()
            #expect(info == BuildInfo(version: "2.42.0", revision: "abc", branch: "debian/sid", goVersion: "go1.19.8"))
            #expect(await client.isReady())
        }
    }

    @Test("base path prefixes every endpoint and configured headers reach the backend")
    func basePathAndHeaders() async throws {
        let fake = FakePrometheus(basePath: "/select/0/prometheus", responses: Self.endpoints)
        try await fake.run { url, log in
            let client = PrometheusClient(
                baseURL: url + "/", basePath: "select/0/prometheus/",
                headers: [("X-Scope-OrgID", "team-a"), ("Authorization", "Bearer t0k")],
                queryParameters: [("dedup", "true"), ("partial_response", "false")]
            )
            _ = try await client.query(try TestScope.acme("up"))
            _ = try await client.queryRange(try TestScope.acme("up"), start: .now.addingTimeInterval(-60), end: .now, step: .seconds(15))
            _ = try await client.series(match: [try TestScope.acme("up")])
            _ = try await client.labels(match: [try TestScope.acme("up")])
            _ = try await client.labelValues("job", match: [try TestScope.acme("up")])
            _ = try await client.rules()
            _ = try await client.targets()
            _ = try await client.buildInfo()
            #expect(await client.isReady())
            let requests = await log.requests
            #expect(requests.count == 9)
            for request in requests {
                #expect(request.path.hasPrefix("/select/0/prometheus/"), "\(request.path)")
                #expect(request.headers["x-scope-orgid"] == "team-a", "\(request.path)")
                #expect(request.headers["authorization"] == "Bearer t0k", "\(request.path)")
            }
            let querying = requests.filter { !$0.path.hasSuffix("/rules") && !$0.path.hasSuffix("/targets") && !$0.path.contains("/status/") && !$0.path.hasSuffix("/-/ready") }
            #expect(querying.count == 5)
            for request in querying {
                #expect(request.values("dedup") == ["true"] && request.values("partial_response") == ["false"], "\(request.path)")
            }
        }
    }

    @Test("a 20 KB query travels form-encoded in the POST body, not the URL")
    func longQuery() async throws {
        try await FakePrometheus(responses: Self.endpoints).run { url, log in
            let hosts = (0..<1000).map { "gpu-node-\($0) a b&c=d+é" }.joined(separator: "|")
            let scoped = try TestScope.acme(#"sum by (node) (DCGM_FI_DEV_GPU_TEMP{node=~"\#(hosts)"})"#)
            #expect(scoped.text.utf8.count >= 20_000)
            _ = try await PrometheusClient(baseURL: url).query(scoped)
            let request = try #require(await log.last)
            #expect(request.query == nil)
            #expect(request.body.utf8.count > scoped.text.utf8.count)
            #expect(!request.body.contains(" ") && !request.body.contains("+") && !request.body.contains("é"))
            #expect(request.body.contains("%26c%3Dd%2B%C3%A9"))
            #expect(request.values("query") == [scoped.text])
        }
    }
}
