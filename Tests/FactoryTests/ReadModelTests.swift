@testable import Factory
import Foundation
import Logging
import PromQL
import PrometheusClient
import Telemetry
import Testing

/// The read model directly, against a recording fake backend: what each caller's reads may touch.
@Suite("ReadModel")
struct ReadModelTests {
    static let logger = Logger(label: "test.factory")

    /// One healthy-looking GPU per node, for whatever node the query names.
    static func fleetAnswers(_ text: String) -> QueryResult {
        let nodes = ["acme-1", "globex-1", "globex-2"].filter { text.contains("\"\($0)\"") || !text.contains("node=") }
        func gpu(_ node: String, _ extra: [String: String] = [:]) -> [String: String] {
            ["node": node, "gpu": "0", "UUID": "GPU-\(node)", "Hostname": "\(node).example"].merging(extra) { _, new in new }
        }
        if text.hasPrefix("up{") { return .vector(nodes.map { FakeMetrics.sample(1, gpu($0)) }) }
        if text.contains("__name__=~") && text.contains("DCGM_FI_DEV_GPU_TEMP") {
            return .vector(nodes.map { FakeMetrics.sample(52, gpu($0, ["__name__": "DCGM_FI_DEV_GPU_TEMP"])) })
        }
        if text.hasPrefix("timestamp(") { return .vector(nodes.map { FakeMetrics.sample(1_800_000_000, gpu($0)) }) }
        if text.contains("DCGM_FI_DEV_GPU_UTIL") { return .vector([FakeMetrics.sample(61.25)]) }
        if text.hasPrefix("count(DCGM_FI_DEV_GPU_TEMP") { return .vector([FakeMetrics.sample(Double(nodes.count))]) }
        if text.hasPrefix("count by (tenant)") {
            return .vector(nodes.map { FakeMetrics.sample(1, ["tenant": $0.hasPrefix("acme") ? "acme" : "globex"]) })
        }
        return .vector([])
    }

    @Test("an owner's reads carry only its tenant; another tenant's node answers not found")
    func ownerScoped() async throws {
        let world = try await World.make()
        let metrics = FakeMetrics(answer: Self.fleetAnswers)
        let model = world.readModel(metrics)
        let overview = try await model.overview(world.caller("acme-admin"), logger: Self.logger)
        #expect(overview.role == "owner")
        #expect(overview.nodes?.map(\.id) == ["acme-1"])
        #expect(overview.nodes?.first?.temperatureC == 52)
        #expect(!metrics.tenant.isEmpty)
        #expect(metrics.tenant.allSatisfy { $0.tenant == "acme" && $0.text.contains(#"tenant="acme""#) })
        #expect(metrics.fleet.isEmpty && metrics.pool.isEmpty)
        await #expect(throws: FactoryError.notFound("node")) {
            try await model.nodeDetail(world.caller("acme-admin"), node: "globex-1", logger: Self.logger)
        }
        await #expect(throws: FactoryError.notFound("node")) {
            try await model.trend(world.caller("umbrella-admin"), node: "globex-1", metric: .utilisation, range: .hour)
        }
        await world.close()
    }

    @Test("a consumer's overview names no node or host; its pool figure covers only the pool's contributing nodes")
    func consumerSeesNoHardware() async throws {
        let world = try await World.make()
        let metrics = FakeMetrics(answer: Self.fleetAnswers)
        let overview = try await world.readModel(metrics).overview(world.caller("umbrella-admin"), logger: Self.logger)
        #expect(overview.role == "consumer")
        #expect(overview.consumer?.usage.first?.poolUtilisationPct == 61.3)
        let encoder = JSONEncoder()
        let text = String(decoding: try encoder.encode(overview), as: UTF8.self)
        for identifier in ["globex-1", "globex-2", "acme-1", "example", "GPU-"] {
            #expect(!text.contains(identifier), "\(identifier) in \(text)")
        }
        let pool = try #require(metrics.pool.first)
        #expect(metrics.pool.count == 1)
        #expect(pool.nodes == ["globex-1"], "globex-2 is dedicated: it never moves the pool's figure")
        #expect(pool.text.contains(#"pool="shared""#) && pool.text.contains(#"node=~"globex-1""#))
        #expect(metrics.tenant.allSatisfy { $0.tenant == "umbrella" && $0.matchers.contains { $0.label == ScopeLabel.pool } })
        #expect(metrics.fleet.isEmpty)
        await world.close()
    }

    @Test("the connection check is a fleet read narrowed to the node; a failure hint carries no upstream detail")
    func connectionCheck() async throws {
        let world = try await World.make()
        let metrics = FakeMetrics(answer: Self.fleetAnswers)
        let model = world.readModel(metrics)
        let report = try await model.connectionCheck(world.caller("acme-admin"), node: "acme-1", serviceDiscoveryRefresh: .seconds(30))
        #expect(report.reachable && report.dcgmSeries == 1 && report.tenantLabel == "acme" && report.ok, "\(report)")
        #expect(metrics.tenant.isEmpty)
        #expect(metrics.fleet.count == 3)
        #expect(metrics.fleet.allSatisfy { $0.matchers.map(\.value) == ["acme-1"] })
        await #expect(throws: FactoryError.notFound("node")) {
            try await model.connectionCheck(world.caller("acme-admin"), node: "globex-1", serviceDiscoveryRefresh: .seconds(30))
        }

        metrics.fail(with: .unreachable("connect to 10.9.8.7:9090 refused"))
        let failed = try await model.connectionCheck(world.caller("operator"), node: "globex-1", serviceDiscoveryRefresh: .seconds(30))
        #expect(!failed.ok)
        #expect(!failed.hints.isEmpty)
        #expect(failed.hints.allSatisfy { !$0.contains("10.9.8.7") && !$0.contains("9090") }, "\(failed.hints)")
        await world.close()
    }

    @Test("alerts: a tenant sees its own, an operator all, pipeline alerts are operator-only")
    func alerts() async throws {
        struct Alerts: AlertSource {
            func alerts() async throws(PrometheusClientError) -> [PrometheusAlert] {
                func alert(_ name: String, _ labels: [String: String]) -> PrometheusAlert {
                    PrometheusAlert(labels: labels.merging(["alertname": name]) { old, _ in old }, annotations: [:], state: "firing", activeAt: nil, value: "1")
                }
                return [
                    alert("GPUTemperatureHigh", ["tenant": "acme", "node": "acme-1", "severity": "warning"]),
                    alert("ExporterDown", ["tenant": "globex", "node": "globex-1", "severity": "critical"]),
                    alert("Watchdog", ["severity": "none"]),
                ]
            }
        }
        let world = try await World.make()
        let model = world.readModel(FakeMetrics(), alerts: Alerts())
        #expect(try await model.alerts(world.caller("acme-admin"), node: nil).alerts.map(\.name) == ["GPUTemperatureHigh"])
        #expect(try await model.alerts(world.caller("umbrella-admin"), node: nil).alerts.isEmpty)
        #expect(try await model.alerts(world.caller("operator"), node: nil).alerts.map(\.name) == ["ExporterDown", "GPUTemperatureHigh", "Watchdog"])
        await #expect(throws: FactoryError.notFound("node")) { try await model.alerts(world.caller("acme-admin"), node: "globex-1") }
        await world.close()
    }
}

/// The inference reader on its own: one rewrite to the caller's tenant and the node.
@Suite("InferenceReader")
struct InferenceReaderTests {
    @Test("figures are read under the tenant and the node; absent is not collected, NaN is no traffic")
    func signals() async throws {
        let metrics = FakeMetrics { text in
            if text.hasPrefix("count by (model_name)") { return .vector([FakeMetrics.sample(1, ["model_name": "llama"])]) }
            if text.contains("num_requests_running") { return .vector([FakeMetrics.sample(3)]) }
            if text.contains("time_to_first_token") { return .vector([FakeMetrics.sample(.nan)]) }
            return .vector([])
        }
        let reader = InferenceReader(backend: metrics)
        let read = try await reader.signals(scope: try TenantScope(tenant: "acme"), node: "acme-1", now: Date(timeIntervalSince1970: 1_800_000_000))
        let signals = try #require(read.value)
        #expect(signals.model == "llama")
        #expect(signals.requestsRunning == 3)
        #expect(signals.ttftP99Ms == nil && !signals.notCollected.contains("ttftP99Ms"), "NaN: exported, no traffic")
        #expect(signals.kvCachePct == nil && signals.notCollected.contains("kvCachePct"), "absent: not collected")
        #expect(metrics.tenant.allSatisfy { $0.text.contains(#"node="acme-1""#) && $0.text.contains(#"tenant="acme""#) })
        #expect(metrics.tenant.allSatisfy { $0.matchers.map(\.label) == [ScopeLabel.tenant, ScopeLabel.node] })
    }
}
