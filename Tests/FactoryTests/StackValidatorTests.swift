@testable import Factory
import Fleet
import Foundation
import PromQL
import PrometheusClient
import Store
import Synchronization
import Telemetry
import Testing

/// The "validate observability stack" checks against a scripted backend: a healthy world passes,
/// and each injected failure turns exactly its check red, with its hint (issue 18).
@Suite("Stack validator")
struct StackValidatorTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// What the scripted backend gets wrong.
    struct Faults: Sendable {
        var missingFields: [String: [String]] = [:]
        var forgedTenant: [String: String] = [:]
        var legacyVLLM: Set<String> = []
        var down: Set<String> = []
        var stale: Set<String> = []
        var extraRules: [PrometheusRule] = []
        var alertmanagerDown = false
        var noWatchdog = false
        /// A long-term store: no targets API (an empty list), scrape health only in `up` series.
        var noTargetsAPI = false
    }

    static let nodes = ["acme-1": "acme", "globex-1": "globex", "globex-2": "globex"]
    static let pools = ["acme-1": "_dedicated", "globex-1": "shared", "globex-2": "_dedicated"]

    /// The node names a query is confined to (the scope's `node` or `tenant` matcher).
    static func nodes(in query: String) -> [String] {
        if let range = query.range(of: #"node="([a-z0-9-]+)""#, options: .regularExpression) {
            return [String(query[range].dropFirst(6).dropLast())]
        }
        if let range = query.range(of: #"tenant="([a-z]+)""#, options: .regularExpression) {
            let tenant = String(query[range].dropFirst(8).dropLast())
            return nodes.filter { $0.value == tenant }.keys.sorted()
        }
        return nodes.keys.sorted()
    }

    static func metrics(_ faults: Faults) -> FakeMetrics {
        FakeMetrics { query in
            let live = nodes(in: query).filter { !faults.down.contains($0) }
            var samples: [VectorSample] = []
            if faults.noTargetsAPI, query.contains("up{"), query.contains("dcgm|vllm") {
                // The scraping Prometheus's `up` series as a long-term store holds them: 0 while
                // down, the last sample 3 s old (300 s when stale), a 15 s interval.
                for node in nodes(in: query) {
                    for job in ["dcgm", "vllm"] {
                        let labels = ["job": job, "node": node, "tenant": nodes[node]!, "instance": "10.0.0.1:9400"]
                        let value: Double
                        if query.hasPrefix("timestamp(") {
                            value = now.timeIntervalSince1970 - (faults.stale.contains(node) ? 300 : 3)
                        } else if query.hasPrefix("count_over_time(") {
                            value = query.contains("[1m]") ? 4 : 20
                        } else {
                            value = faults.down.contains(node) ? 0 : 1
                        }
                        samples.append(FakeMetrics.sample(value, query.hasPrefix("up") ? labels.merging(["__name__": "up"]) { a, _ in a } : labels))
                    }
                }
                return .vector(samples)
            }
            if query.contains("DCGM_FI_DEV_GPU_TEMP|") {
                for node in live {
                    for field in RequiredSeries.dcgm where !(faults.missingFields[node] ?? []).contains(field.names[0]) {
                        samples.append(FakeMetrics.sample(1, ["node": node, "gpu": "0", "__name__": field.names[0]]))
                    }
                }
            } else if query.contains("exported_tenant") {
                for node in live {
                    var labels = ["tenant": nodes[node]!, "pool": pools[node]!]
                    if let forged = faults.forgedTenant[node] { labels["exported_tenant"] = forged }
                    samples.append(FakeMetrics.sample(120, labels))
                }
            } else if query.contains("vllm:num_requests_running|") {
                for node in live {
                    for name in RequiredSeries.vllmCurrent {
                        let legacy = faults.legacyVLLM.contains(node)
                        let shown = legacy ? (RequiredSeries.vllmDeprecated.first { $0.value == name }?.key ?? name) : name
                        samples.append(FakeMetrics.sample(1, ["node": node, "__name__": shown]))
                    }
                }
            } else if query.hasPrefix("group by (__name__)") {
                // Metric presence across the fleet: every name the healthy exporters send.
                let exported = Set(RequiredSeries.dcgmNames + RequiredSeries.vllmCurrent + ["up"])
                for name in exported where query.contains(name) {
                    samples.append(FakeMetrics.sample(1, ["__name__": name]))
                }
            } else if query.contains("aifactory_usage_requests_total") {
                return .vector(query.contains("umbrella") || !query.contains("tenant=") ? [FakeMetrics.sample(now.timeIntervalSince1970 - 5)] : [])
            }
            return .vector(samples)
        }
    }

    struct Probe: StackProbe {
        let faults: Faults
        func buildInfo() async throws(PrometheusClientError) -> BuildInfo { BuildInfo(version: "2.53.0") }
        func runtimeInfo() async throws(PrometheusClientError) -> RuntimeInfo { RuntimeInfo(storageRetention: "30d") }
        func targets() async throws(PrometheusClientError) -> [ActiveTarget] {
            if faults.noTargetsAPI { return [] }
            return StackValidatorTests.nodes.keys.sorted().flatMap { node in
                ["dcgm", "vllm"].map { job in
                    let down = faults.down.contains(node)
                    let age: Double = faults.stale.contains(node) ? 300 : 3
                    return ActiveTarget(
                        labels: ["job": job, "node": node, "tenant": StackValidatorTests.nodes[node]!],
                        scrapePool: job, scrapeURL: "http://127.0.0.1:9400/nodes/\(node)/\(job)/metrics",
                        health: down ? .down : .up, lastError: down ? "server returned HTTP status 503 Service Unavailable" : nil,
                        lastScrape: StackValidatorTests.now.addingTimeInterval(-age), scrapeInterval: 15)
                }
            }
        }
        func rules() async throws(PrometheusClientError) -> [PrometheusRuleGroup] {
            [PrometheusRuleGroup(name: "aifactory", rules: [
                PrometheusRule(kind: .alerting, name: "Watchdog", query: "vector(1)", health: "ok"),
                PrometheusRule(kind: .alerting, name: "GPUDoubleBitECCError", query: "increase(DCGM_FI_DEV_ECC_DBE_VOL_TOTAL[5m]) > 0", health: "ok"),
                PrometheusRule(kind: .alerting, name: "VLLMKVCacheFull",
                               query: "max by (node) (vllm:kv_cache_usage_perc or vllm:gpu_cache_usage_perc) > 0.95", health: "ok"),
                PrometheusRule(kind: .alerting, name: "GPUMetricsAbsent", query: "absent(DCGM_FI_DEV_GPU_TEMP_NEVER)", health: "ok"),
            ] + faults.extraRules)]
        }
        func alertmanagers() async throws(PrometheusClientError) -> [String] { ["http://127.0.0.1:9093/api/v2/alerts"] }
    }

    struct Alertmanager: AlertmanagerProbe {
        let faults: Faults
        var baseURL: String { "http://127.0.0.1:9093" }
        func status() async throws(PrometheusClientError) -> AlertmanagerClient.Status {
            if faults.alertmanagerDown { throw .unreachable("connection refused") }
            return AlertmanagerClient.Status(version: "0.26.0", configuration: "route: {}", clusterStatus: "disabled")
        }
        func alerts(named alertname: String) async throws(PrometheusClientError) -> [[String: String]] {
            faults.noWatchdog ? [] : [["alertname": alertname]]
        }
    }

    struct Alerts: AlertSource {
        func alerts() async throws(PrometheusClientError) -> [PrometheusAlert] {
            [PrometheusAlert(labels: ["alertname": "Watchdog"], state: "firing")]
        }
    }

    static func run(_ faults: Faults = Faults(), as name: String = "acme-admin", world: World) async throws -> (ValidationReport, FakeMetrics) {
        let metrics = metrics(faults)
        let heartbeat = LoopHeartbeat(interval: .seconds(15))
        heartbeat.beat(at: now.addingTimeInterval(-4))
        let validator = StackValidator(
            store: world.store, metrics: metrics, alertSource: Alerts(), probe: Probe(faults: faults),
            alertmanager: Alertmanager(faults: faults), eventRecorder: heartbeat, now: { now })
        return (try await validator.run(for: world.caller(name)), metrics)
    }

    static func red(_ report: ValidationReport) -> [String] {
        report.checks.filter { $0.status == .fail }.map(\.id).sorted()
    }

    @Test("a healthy stack passes every check; a tenant's queries stay in its scope")
    func healthy() async throws {
        let world = try await World.make()
        let (report, metrics) = try await Self.run(world: world)
        #expect(Self.red(report).isEmpty, "\(report.checks.filter { $0.status != .pass })")
        #expect(report.status == .pass)
        #expect(report.scope == "tenant" && report.tenant == "acme" && report.nodes == ["acme-1"])
        let ids = Set(report.checks.map(\.id))
        for id in ["backend.configured", "backend.reachable", "backend.retention", "targets.acme-1.dcgm", "targets.acme-1.vllm",
                   "coverage.acme-1", "tenancy.acme-1", "vllm.acme-1", "rules.loaded", "rules.can-fire",
                   "alerting.watchdog", "alerting.alertmanager", "alerting.delivered", "loops.events"] {
            #expect(ids.contains(id), "\(id) missing from \(ids.sorted())")
        }
        #expect(!ids.contains { $0.contains("globex") }, "another tenant's nodes are not checked")
        #expect(metrics.tenant.allSatisfy { $0.text.contains(#"tenant="acme""#) })
        // Fleet reads: the node-narrowed tenancy check and the names-only metric presence.
        #expect(metrics.fleet.allSatisfy { $0.text.contains(#"node="acme-1""#) || $0.text.hasPrefix("group by (__name__)") }, "\(metrics.fleet)")
        await world.close()
    }

    @Test("each injected failure turns exactly its check red, with its hint", arguments: [
        "stock-csv", "stale", "down", "forged", "legacy-vllm", "dead-rule", "alertmanager", "undelivered",
    ])
    func injected(_ failure: String) async throws {
        let world = try await World.make()
        var faults = Faults()
        let expected: [String]
        let hint: String
        switch failure {
        case "stock-csv":
            faults.missingFields["acme-1"] = ["DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL"]
            (expected, hint) = (["coverage.acme-1"], "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL, counter, Total number of double-bit volatile ECC errors.")
        case "stale":
            faults.stale = ["acme-1"]
            (expected, hint) = (["targets.acme-1.dcgm", "targets.acme-1.vllm"], "scrape_timeout")
        case "down":
            faults.down = ["acme-1"]
            (expected, hint) = (["targets.acme-1.dcgm", "targets.acme-1.vllm"], "listens at that address")
        case "forged":
            faults.forgedTenant["acme-1"] = "globex"
            (expected, hint) = (["tenancy.acme-1"], "honor_labels: true")
        case "legacy-vllm":
            faults.legacyVLLM = ["acme-1"]
            (expected, hint) = (["vllm.acme-1"], "--show-hidden-metrics-for-version")
        case "dead-rule":
            faults.extraRules = [PrometheusRule(kind: .alerting, name: "NobodyExportsThis", query: "aifactory_nothing_total > 0", health: "ok")]
            (expected, hint) = (["rules.can-fire"], "enable the metric")
        case "alertmanager":
            faults.alertmanagerDown = true
            (expected, hint) = (["alerting.alertmanager", "alerting.delivered"], "Start Alertmanager")
        default:
            faults.noWatchdog = true
            (expected, hint) = (["alerting.delivered"], "alerting.alertmanagers")
        }
        let (report, _) = try await Self.run(faults, world: world)
        #expect(Self.red(report) == expected.sorted(), "\(failure): \(report.checks.filter { $0.status == .fail })")
        let first = try #require(report.checks.first)
        #expect(first.status == .fail, "failures come first")
        #expect(report.checks.filter { $0.status == .fail }.contains { $0.hint?.contains(hint) == true }, "\(failure): hint")
        if failure == "down" {
            // The series checks say "see the target" rather than repeating the outage.
            #expect(report.checks.filter { ["coverage.acme-1", "tenancy.acme-1", "vllm.acme-1"].contains($0.id) }.allSatisfy { $0.status == .skip })
            #expect(report.checks.first { $0.id == "targets.acme-1.dcgm" }?.seen.contains("503 Service Unavailable") == true)
        }
        if failure == "dead-rule" {
            #expect(report.checks.first { $0.id == "rules.can-fire" }?.seen.contains("NobodyExportsThis reads aifactory_nothing_total") == true)
        }
        await world.close()
    }

    @Test("a long-term store with no targets API: scrape health from its up series, down and stale still red")
    func targetsFromUpSeries() async throws {
        let world = try await World.make()
        var faults = Faults()
        faults.noTargetsAPI = true
        let (healthy, metrics) = try await Self.run(faults, world: world)
        #expect(Self.red(healthy).isEmpty, "\(healthy.checks.filter { $0.status != .pass })")
        let target = try #require(healthy.checks.first { $0.id == "targets.acme-1.dcgm" })
        #expect(target.status == .pass && target.seen.contains("every 15 s") && target.seen.contains("from the up series"), "\(target.seen)")
        #expect(metrics.tenant.filter { $0.text.contains("up{") }.allSatisfy { $0.text.contains(#"tenant="acme""#) }, "the up reads stay in scope")

        faults.down = ["acme-1"]
        let (down, _) = try await Self.run(faults, world: world)
        #expect(Self.red(down) == ["targets.acme-1.dcgm", "targets.acme-1.vllm"])
        #expect(down.checks.first { $0.id == "targets.acme-1.dcgm" }?.seen.contains("up is 0") == true)
        #expect(down.checks.filter { ["coverage.acme-1", "tenancy.acme-1", "vllm.acme-1"].contains($0.id) }.allSatisfy { $0.status == .skip })

        faults.down = []
        faults.stale = ["acme-1"]
        let (stale, _) = try await Self.run(faults, world: world)
        #expect(Self.red(stale) == ["targets.acme-1.dcgm", "targets.acme-1.vllm"])
        #expect(stale.checks.first { $0.id == "targets.acme-1.dcgm" }?.seen.hasPrefix("stale: last scraped 5 min ago") == true,
                "\(stale.checks.first { $0.id == "targets.acme-1.dcgm" }?.seen ?? "")")
        await world.close()
    }

    @Test("operators check the fleet; members are refused")
    func roles() async throws {
        var world = try await World.make()
        let (report, _) = try await Self.run(as: "operator", world: world)
        #expect(report.scope == "fleet" && report.tenant == nil)
        #expect(report.nodes == ["acme-1", "globex-1", "globex-2"])
        #expect(Self.red(report).isEmpty, "\(report.checks.filter { $0.status == .fail })")
        #expect(report.checks.contains { $0.id == "tenancy.globex-1" && $0.seen.contains(#"pool="shared""#) })
        world.users["acme-member"] = try await world.store.createUser(name: "acme-member", tenant: "acme", kind: .tenantMember)
        await #expect(throws: FactoryError.self) { _ = try await Self.run(as: "acme-member", world: world) }
        await world.close()
    }

    @Test("rule metrics: `or` needs one side, `unless` its left, `absent` nothing")
    func ruleMetrics() {
        let exported: Set<String> = ["a", "b"]
        #expect(RuleMetrics.blocking("a or missing", exported: exported) == [])
        #expect(RuleMetrics.blocking("missing or gone", exported: exported) == ["missing", "gone"])
        #expect(RuleMetrics.blocking("a unless missing", exported: exported) == [])
        #expect(RuleMetrics.blocking("a and missing", exported: exported) == ["missing"])
        #expect(RuleMetrics.blocking("absent(missing)", exported: exported) == [])
        #expect(RuleMetrics.blocking("sum by (node) (rate(missing[5m])) > 1", exported: exported) == ["missing"])
        #expect(RuleMetrics.blocking("vector(1)", exported: exported) == [])
        #expect(RuleMetrics.blocking("not promql (", exported: exported) == nil)
    }

    @Test("retention text: time part in seconds, size-only has none")
    func retention() {
        #expect(RuntimeInfo(storageRetention: "15d").retentionSeconds == Double(15 * 86_400))
        #expect(RuntimeInfo(storageRetention: "30d or 10GiB").retentionSeconds == Double(30 * 86_400))
        #expect(RuntimeInfo(storageRetention: "1y2w").retentionSeconds == Double(31_536_000 + 2 * 604_800))
        #expect(RuntimeInfo(storageRetention: "10GiB").retentionSeconds == nil)
        #expect(RuntimeInfo(storageRetention: nil).retentionSeconds == nil)
    }
}
