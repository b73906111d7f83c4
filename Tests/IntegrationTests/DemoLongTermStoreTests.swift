import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOFoundationEssentialsCompat
import Simulator
import Stack
import TestSupport
import Testing

/// `aifactory demo --victoria-metrics` (issue 21, docs/DEPLOY.md "Long-term metrics"): Prometheus
/// remote_writes into a real VictoriaMetrics and the server reads only that: the tenant's cards
/// carry live numbers from the store, the store holds the tenant-labelled series, and the alerts
/// Prometheus evaluates still reach the page through the store's proxy.
@Suite("Demo on a long-term store", .serialized)
struct DemoLongTermStoreTests {
    @Test("the server reads VictoriaMetrics fed by Prometheus's remote_write")
    func readsTheStore() async throws {
        guard ExternalTool.require("prometheus") != nil, ExternalTool.require("victoria-metrics") != nil else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-vm-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        var configuration = DemoConfiguration(stateDirectory: state, port: 0, fleet: FleetFile.demo, scrapeInterval: .seconds(1))
        configuration.victoriaMetrics = true
        try await withDemoStack(configuration) { credentials in
            let store = try #require(credentials.metricsURL, "the demo names its long-term store")
            #expect(store != credentials.prometheusURL)
            let config = try String(contentsOfFile: state + "/prometheus.yml", encoding: .utf8)
            #expect(config.contains("remote_write:") && config.contains(store + "/api/v1/write"))

            // Samples arrive in the store with the labels service discovery gave them.
            let arrived = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                try await !PrometheusHTTP.query(store, #"DCGM_FI_DEV_GPU_UTIL{tenant="acme"}"#).isEmpty
            }
            #expect(arrived, "acme's utilisation in VictoriaMetrics")

            // The page's overview, read from the store: acme's cards with measured utilisation.
            let key = try #require(credentials.tenants.first { $0.tenant == "acme" }?.apiKey)
            let measured = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                let data = try await PrometheusHTTP.get(credentials.url + "/api/v1/factory/overview", bearer: key)
                let nodes = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["nodes"] as? [[String: Any]] ?? []
                return !nodes.isEmpty && nodes.allSatisfy { $0["utilisationPct"] is Double }
            }
            #expect(measured, "acme's cards carry utilisation read from the store")

            // The self-check judges the scrapes from the up series the store holds (it lists no
            // targets of its own): every acme target passes once scraped twice.
            let validated = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                var request = HTTPClientRequest(url: credentials.url + "/api/v1/factory/validate")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(key)")
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: "{}"))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                let body = try await response.body.collect(upTo: 1 << 20)
                let report = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
                let targets = (report?["checks"] as? [[String: Any]] ?? []).filter { ($0["id"] as? String)?.hasPrefix("targets.") == true }
                return targets.count == 4 && targets.allSatisfy {
                    $0["status"] as? String == "pass" && ($0["seen"] as? String)?.contains("from the up series") == true
                }
            }
            #expect(validated, "the self-check's scrape checks pass on the long-term layout")

            // Alerts are Prometheus's, answered through the store's proxy: the Watchdog fires.
            let alerts = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                let data = try await PrometheusHTTP.get(store + "/api/v1/alerts")
                return String(decoding: data, as: UTF8.self).contains("Watchdog")
            }
            #expect(alerts, "the store answers /api/v1/alerts from Prometheus")
        }
    }
}
