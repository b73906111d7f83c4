import Foundation
import PromQL
import PrometheusClient
import Testing
@testable import Telemetry

/// The golden signals added for the runbooks (success rate per model, ITL p99, output tokens/s per
/// GPU, share of requests over the TTFT objective), each checked against a hand computation from
/// fixture samples, and read as "not collected" when their series are absent.
@Suite("InferenceReader golden signals")
struct InferenceGoldenSignalsTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func sample(_ value: Double, _ labels: [String: String] = [:]) -> VectorSample {
        VectorSample(labels: labels, value: value, timestamp: now.timeIntervalSince1970)
    }

    /// Finished requests per second by model and reason.
    static let finished: [VectorSample] = [
        sample(9.0, ["model_name": "llama", "finished_reason": "stop"]),
        sample(0.5, ["model_name": "llama", "finished_reason": "length"]),
        sample(0.3, ["model_name": "llama", "finished_reason": "abort"]),
        sample(0.2, ["model_name": "llama", "finished_reason": "error"]),
        sample(2.0, ["model_name": "qwen", "finished_reason": "stop"]),
        sample(0.5, ["model_name": "qwen", "finished_reason": "length"]),
        sample(0.0, ["model_name": "idle", "finished_reason": "stop"]),
        sample(0.0, ["model_name": "idle", "finished_reason": "abort"]),
    ]

    /// Cumulative TTFT bucket rates (requests per second with TTFT ≤ le).
    static let ttftBuckets: [VectorSample] = [
        sample(6.0, ["le": "0.5"]), sample(8.0, ["le": "1.0"]), sample(9.2, ["le": "2.5"]),
        sample(9.8, ["le": "5.0"]), sample(10.0, ["le": "+Inf"]),
    ]

    /// A backend where the node serves vLLM and the given figures answer; everything else is absent.
    static func backend(
        finished: [VectorSample] = [], buckets: [VectorSample] = [], itl: [VectorSample] = [], generation: [VectorSample] = []
    ) -> FakeMetricsBackend {
        FakeMetricsBackend(instant: { text in
            if text.hasPrefix("count by (model_name)") { return .vector([sample(1, ["model_name": "llama"])]) }
            if text.contains("vllm:request_success_total") { return .vector(finished) }
            if text.hasPrefix("sum by (le) (rate(vllm:time_to_first_token_seconds_bucket") { return .vector(buckets) }
            if text.hasPrefix("histogram_quantile(0.99") && text.contains("inter_token_latency_seconds_bucket") { return .vector(itl) }
            if text.contains("vllm:generation_tokens_total") { return .vector(generation) }
            return .vector([])
        })
    }

    static func read(
        _ backend: FakeMetricsBackend, gpus: Int? = nil, objective: Double? = nil
    ) async throws -> InferenceSignals {
        let reader = objective.map { InferenceReader(backend: backend, ttftObjectiveSeconds: $0) } ?? InferenceReader(backend: backend)
        let read = try await reader.signals(scope: try TenantScope(tenant: "acme"), node: "acme-1", gpus: gpus, now: now)
        return try #require(read.value)
    }

    @Test("success rate per model is 1 − (abort + error) / finished, with finished requests per second")
    func successRate() async throws {
        let signals = try await Self.read(Self.backend(finished: Self.finished))
        let rates = try #require(signals.successByModel)
        #expect(rates.map(\.model) == ["idle", "llama", "qwen"])
        // llama: 9.0 + 0.5 + 0.3 + 0.2 = 10 finished/s, 0.3 + 0.2 = 0.5 failed → 95 %.
        #expect(rates[1] == InferenceSignals.ModelSuccess(model: "llama", successPct: 95, requestsPerSec: 10))
        // qwen: no abort or error series → every one of its 2.5 finished/s succeeded.
        #expect(rates[2] == InferenceSignals.ModelSuccess(model: "qwen", successPct: 100, requestsPerSec: 2.5))
        // idle: collected, nothing finished → no rate, not 100 %.
        #expect(rates[0] == InferenceSignals.ModelSuccess(model: "idle", successPct: nil, requestsPerSec: 0))
        #expect(!signals.notCollected.contains("successByModel"))
    }

    @Test("success rate reads the alert's ratio: length is a success, abort and error are not")
    func successDefinition() {
        let rates = InferenceReader.successByModel([
            Self.sample(1, ["model_name": "m", "finished_reason": "length"]),
            Self.sample(1, ["model_name": "m", "finished_reason": "abort"]),
            Self.sample(2, ["model_name": "m", "finished_reason": "error"]),
        ])
        // 4 finished, 3 failed → 25 %.
        #expect(rates == [InferenceSignals.ModelSuccess(model: "m", successPct: 25, requestsPerSec: 4)])
        #expect(InferenceReader.failedReasons == ["abort", "error"])
    }

    @Test("share over the TTFT objective: 1 − rate(le=2.5) / rate(le=+Inf), with the objective in ms")
    func overObjective() async throws {
        let signals = try await Self.read(Self.backend(buckets: Self.ttftBuckets))
        // 9.2 of 10 requests/s within 2.5 s → 8 % over.
        #expect(signals.ttftOverObjectivePct == 8)
        #expect(signals.ttftObjectiveMs == 2500)
        #expect(!signals.notCollected.contains("ttftOverObjectivePct"))
    }

    @Test("an objective between bucket boundaries uses the boundary below it (an upper bound)")
    func objectiveBetweenBoundaries() async throws {
        let signals = try await Self.read(Self.backend(buckets: Self.ttftBuckets), objective: 3)
        // 3 s is no boundary: within = le 2.5 (9.2/s) → 8 %, not the 2 % of le 5.0.
        #expect(signals.ttftOverObjectivePct == 8)
        #expect(signals.ttftObjectiveMs == 3000)
        #expect(InferenceReader.overObjective(Self.ttftBuckets, objective: 0.1) == 100, "below every boundary: none within")
        // 5 s is a boundary: 9.8 of 10 within → 2 % over.
        #expect(abs(try #require(InferenceReader.overObjective(Self.ttftBuckets, objective: 5)) - 2) < 1e-9)
    }

    @Test("no request in the window: no share over the objective, still collected")
    func objectiveNoTraffic() async throws {
        let idle = [Self.sample(0, ["le": "2.5"]), Self.sample(0, ["le": "+Inf"])]
        let signals = try await Self.read(Self.backend(buckets: idle))
        #expect(signals.ttftOverObjectivePct == nil)
        #expect(!signals.notCollected.contains("ttftOverObjectivePct"))
    }

    @Test("ITL p99 is the 0.99 quantile of either histogram name, in ms")
    func itl() async throws {
        let backend = Self.backend(itl: [Self.sample(0.04213)])
        let signals = try await Self.read(backend)
        #expect(signals.itlP99Ms == 42.13)
        let query = try #require(backend.queries.first { $0.text.hasPrefix("histogram_quantile(0.99") && $0.text.contains("inter_token") })
        #expect(query.text.contains("vllm:inter_token_latency_seconds_bucket{"))
        #expect(query.text.contains("vllm:time_per_output_token_seconds_bucket{"))
        #expect(query.text.contains(" or "), "old and new name joined with or, not one regex over both")

        let quiet = try await Self.read(Self.backend(itl: [Self.sample(.nan)]))
        #expect(quiet.itlP99Ms == nil && !quiet.notCollected.contains("itlP99Ms"), "NaN: exported, no traffic")
    }

    @Test("output tokens per second per GPU divides by the node's GPU count")
    func tokensPerGPU() async throws {
        let backend = Self.backend(generation: [Self.sample(381)])
        let signals = try await Self.read(backend, gpus: 4)
        #expect(signals.generationTokensPerSec == 381)
        #expect(signals.generationTokensPerSecPerGPU == 95.25)
        let noCount = try await Self.read(Self.backend(generation: [Self.sample(381)]))
        #expect(noCount.generationTokensPerSecPerGPU == nil && !noCount.notCollected.contains("generationTokensPerSecPerGPU"), "count unknown")
        let zero = try await Self.read(Self.backend(generation: [Self.sample(381)]), gpus: 0)
        #expect(zero.generationTokensPerSecPerGPU == nil)
    }

    @Test("absent series: every new figure is nil and listed as not collected, never 0")
    func absent() async throws {
        let backend = Self.backend()
        let signals = try await Self.read(backend, gpus: 8)
        #expect(signals.successByModel == nil)
        #expect(signals.itlP99Ms == nil)
        #expect(signals.generationTokensPerSecPerGPU == nil)
        #expect(signals.ttftOverObjectivePct == nil)
        #expect(signals.ttftObjectiveMs == 2500, "the objective is a setting, present without data")
        for name in ["successByModel", "itlP99Ms", "generationTokensPerSecPerGPU", "ttftOverObjectivePct"] {
            #expect(signals.notCollected.contains(name), "\(name) not listed")
        }
        #expect(backend.queries.allSatisfy { $0.text.contains(#"node="acme-1""#) && $0.text.contains(#"tenant="acme""#) })
        #expect(backend.queries.allSatisfy { $0.matchers.map(\.label) == [ScopeLabel.tenant, ScopeLabel.node] })
    }

    @Test("the default TTFT objective is the bucket the standard burn-rate rules read")
    func objectiveMatchesRules() throws {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent()
        let bucket = String(InferenceReader(backend: FakeMetricsBackend()).ttftObjectiveSeconds)
        let rules = try String(contentsOf: root.appendingPathComponent("deploy/prometheus/aifactory-rules.yml"), encoding: .utf8)
        #expect(rules.contains(#"vllm:time_to_first_token_seconds_bucket{le="\#(bucket)"}"#))
        let options = try String(contentsOf: root.appendingPathComponent("Sources/Export/AlertRuleOptions.swift"), encoding: .utf8)
        #expect(options.contains(#"ttftSLOBucket: String = "\#(bucket)""#))
    }
}
