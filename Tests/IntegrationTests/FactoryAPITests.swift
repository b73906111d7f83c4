import Foundation
import PrometheusClient
import Simulator
import Stack
import Telemetry
import TestSupport
import Testing
import Fleet

/// The factory API over the real Prometheus and the simulator's fault scenarios.
///
/// The simulation starts 10 minutes into the scenario timeline, so every fault is already on
/// when Prometheus first scrapes (no history: the absent XID-79 GPU reads Unknown; XID 48 on the
/// DBE node is first seen in the window, so it counts).
@Suite("Factory API over real Prometheus", .serialized)
struct FactoryAPITests {
    @Test("overview and node detail: health per scenario, isolation per role, no hardware ids for consumers")
    func overviewAndDetail() async throws {
        guard ExternalTool.require("prometheus") != nil else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-factory-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let configuration = DemoConfiguration(
            stateDirectory: state, port: 0, fleet: FleetFile.demo, scrapeInterval: .seconds(1), simulationOffset: .seconds(600)
        )
        try await withDemoStack(configuration) { credentials in
            func key(_ tenant: String) throws -> String {
                try #require(credentials.tenants.first { $0.tenant == tenant }?.apiKey)
            }
            func getJSON(_ path: String, _ tenant: String) async throws -> [String: Any] {
                let data = try await PrometheusHTTP.get(credentials.url + path, bearer: try key(tenant))
                return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            }

            // Wait until Prometheus has scraped every initrode node and the cache has turned over.
            var initrode: [String: [String: Any]] = [:]
            let ready = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                let overview = try await getJSON("/api/v1/factory/overview", "initrode")
                let nodes = overview["nodes"] as? [[String: Any]] ?? []
                initrode = Dictionary(uniqueKeysWithValues: nodes.compactMap { node in (node["id"] as? String).map { ($0, node) } })
                // Every node whose exporter answers must have been scraped (the XID-79 node keeps a
                // GPU absent and the exporter-down node may be in an outage window).
                let scraped = ["initrode-thermal", "initrode-stockcsv", "initrode-slowdown", "initrode-pcie", "initrode-ecc", "initrode-xid13"]
                return scraped.allSatisfy { initrode[$0]?["temperatureC"] as? Double != nil }
            }
            #expect(ready, "\(initrode.mapValues { $0["health"] ?? "-" })")
            #expect(initrode["initrode-thermal"]?["health"] as? String == "critical")
            #expect(initrode["initrode-pcie"]?["health"] as? String == "degraded")
            #expect(initrode["initrode-slowdown"]?["health"] as? String == "degraded")
            // DBE counter at 1 and XID 48 first seen in this window (no earlier sample to prove it old).
            #expect(initrode["initrode-ecc"]?["health"] as? String == "critical")
            #expect(initrode["initrode-xid79"]?["health"] as? String != "healthy", "a GPU that fell off the bus is never healthy")

            // Missing ECC / SM-active fields are "not collected", never 0.
            let stock = try await getJSON("/api/v1/factory/nodes/initrode-stockcsv", "initrode")
            let gpu0 = (stock["gpus"] as? [[String: Any]])?.first
            let notCollected = gpu0?["notCollected"] as? [String] ?? []
            #expect(notCollected.contains("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL"))
            #expect(gpu0?["smActivePct"] is NSNull || gpu0?["smActivePct"] == nil)
            #expect((stock["card"] as? [String: Any])?["health"] as? String == "healthy")

            // The idle vLLM card is flagged as healthy idle, with the explanation in a finding.
            var acme: [String: Any] = [:]
            var acmeNodes: [[String: Any]] = []
            let acmeScraped = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                acme = try await getJSON("/api/v1/factory/overview", "acme")
                acmeNodes = acme["nodes"] as? [[String: Any]] ?? []
                return acmeNodes.count == 2 && acmeNodes.allSatisfy { $0["temperatureC"] as? Double != nil }
            }
            #expect(acmeScraped)
            #expect(acme["role"] as? String == "owner")
            #expect(Set(acmeNodes.compactMap { $0["id"] as? String }) == ["acme-ada16-1", "acme-h100-1"])
            let idle = acmeNodes.first { $0["id"] as? String == "acme-ada16-1" }
            #expect(idle?["idleVLLM"] as? Bool == true)
            #expect(idle?["health"] as? String == "healthy")
            #expect(acme["health"] as? String == "healthy")
            // The overview carries firing alerts and the reliability panel for the held nodes.
            #expect(acme["alerts"] is [Any], "\(acme["alerts"] ?? "absent")")
            let reliabilityNodes = (acme["reliability"] as? [[String: Any]] ?? []).compactMap { $0["node"] as? String }
            #expect(reliabilityNodes == ["acme-ada16-1", "acme-h100-1"])

            // Golden signals for a node that serves vLLM; none for one that does not.
            // vLLM targets are scraped on their own schedule: wait until the signals are there.
            var serving: [String: Any] = [:]
            _ = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                serving = try await getJSON("/api/v1/factory/nodes/acme-h100-1", "acme")
                return (serving["inference"] as? [String: Any])?["requestsRunning"] is Double
            }
            let inference = serving["inference"] as? [String: Any]
            #expect(inference?["model"] as? String == "meta-llama/Llama-3.1-70B-Instruct", "\(serving["inference"] ?? "none")")
            #expect(inference?["requestsRunning"] is Double)
            #expect(inference?["kvCachePct"] is Double)
            #expect((inference?["notCollected"] as? [String])?.contains("requestsRunning") == false)
            let noVLLM = try await getJSON("/api/v1/factory/nodes/initrode-xid79", "initrode")
            #expect(noVLLM["inference"] == nil || noVLLM["inference"] is NSNull)

            // Isolation: another tenant's node is a 404, the same as a missing one.
            await #expect(throws: (any Error).self) { _ = try await getJSON("/api/v1/factory/nodes/initrode-thermal", "acme") }

            // Provider: pool note. Consumer: no node id, host or GPU UUID anywhere. None: explainer.
            let globex = try await getJSON("/api/v1/factory/overview", "globex")
            #expect(globex["role"] as? String == "provider")
            #expect((globex["poolNote"] as? String)?.contains("shared-ada") == true)
            let consumerData = try await PrometheusHTTP.get(credentials.url + "/api/v1/factory/overview", bearer: try key("umbrella"))
            let consumerText = String(decoding: consumerData, as: UTF8.self)
            for node in FleetFile.demo.spec.nodes {
                #expect(!consumerText.contains(node.name), "consumer sees \(node.name)")
                #expect(!consumerText.contains(node.host), "consumer sees \(node.host)")
            }
            #expect(!consumerText.contains("GPU-"))
            // The demo consumer's traffic flows through the gateway: tokens and requests from its
            // ledger, latency from the usage contract it emits (scraped by the honor_labels job).
            var usage: [[String: Any]] = []
            let metered = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                let body = try await getJSON("/api/v1/factory/overview", "umbrella")
                usage = (body["consumer"] as? [String: Any])?["usage"] as? [[String: Any]] ?? []
                return (usage.first?["requests"] as? Int ?? 0) > 0 && usage.first?["averageLatencySeconds"] is Double
            }
            #expect(metered, "\(usage)")
            #expect(usage.first?["pool"] as? String == "shared-ada")
            #expect((usage.first?["tokensIn"] as? Int ?? 0) > 0 && (usage.first?["tokensOut"] as? Int ?? 0) > 0, "\(usage)")
            let quota = usage.first?["quota"] as? [String: Any] ?? [:]
            #expect(quota["used"] as? Int ?? 0 > 0 && quota["periodEnd"] is String, "\(quota)")
            let history = try await getJSON("/api/v1/factory/usage?range=1h", "umbrella")
            #expect((history["totals"] as? [String: Any])?["requests"] as? Int ?? 0 > 0, "\(history)")
            #expect((history["byKey"] as? [[String: Any]])?.isEmpty == false && (history["byModel"] as? [[String: Any]])?.isEmpty == false)
            // The provider sees how much of its pool is drawn, with no consumer named.
            let drawn = try await getJSON("/api/v1/factory/overview", "globex")
            let draw = (drawn["poolDraw"] as? [[String: Any]])?.first { $0["pool"] as? String == "shared-ada" }
            #expect(draw?["tokens"] as? Int ?? 0 > 0, "\(String(describing: drawn["poolDraw"]))")
            #expect(!String(describing: drawn["poolDraw"] ?? "").contains("umbrella"))
            // The gateway's routing signal reads every vLLM node's load from this Prometheus.
            let served = Set(FleetFile.demo.spec.nodes.filter { $0.servedModel != nil }.map(\.name))
            let reader = VLLMLoadReader(backend: PrometheusClient(baseURL: credentials.prometheusURL, timeout: .seconds(5)))
            var loads: [String: (running: Double?, kvCacheUsage: Double?)] = [:]
            let read = try await PrometheusHTTP.eventually(timeout: .seconds(30)) {
                loads = try await reader.load()
                return Set(loads.keys) == served && loads.values.allSatisfy { $0.running != nil && $0.kvCacheUsage != nil }
            }
            #expect(read, "vLLM load per node: \(loads.keys.sorted()) of \(served.sorted())")
            let none = try await getJSON("/api/v1/factory/overview", "hooli")
            #expect(none["role"] as? String == "none")
            #expect(none["billingURL"] as? String == "/billing")
        }
    }
}
