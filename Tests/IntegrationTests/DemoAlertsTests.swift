import AsyncHTTPClient
import Foundation
import Simulator
import Stack
import TestSupport
import Testing

/// The demo's Prometheus loads the companion rules; the XID 79, DBE and thermal scenario nodes
/// raise their alerts within their (here ten times shortened) `for:` windows, and the factory
/// alert view shows each tenant only its own.
@Suite("Demo alerts", .serialized)
struct DemoAlertsTests {
    @Test("XID 79, double-bit ECC and thermal scenarios fire their alerts, routed to the owning tenant")
    func scenarioAlertsFire() async throws {
        guard ExternalTool.require("prometheus") != nil else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-alerts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        // Start 60 s into the timeline: XID 79 at 90 s, DBE at 95 s, > 85 °C from about 150 s.
        // The DBE alert is an `increase` over a window: Prometheus must scrape the counter before
        // it steps, or the step is the series' first value and the alert never fires. The 35 s
        // between start and the step cover a stack that starts slowly beside a parallel test
        // run (15 s did not: a CI run started fourteen demo stacks at once and missed it).
        let configuration = DemoConfiguration(
            stateDirectory: state, port: 0, fleet: FleetFile.demo, scrapeInterval: .seconds(1),
            simulationOffset: .seconds(60), alertDurationScale: 0.1
        )
        try await withDemoStack(configuration) { credentials in
            let expected: [(alert: String, node: String)] = [
                ("GPUCriticalXID", "initrode-xid79"),
                ("GPUDoubleBitECCError", "initrode-ecc"),
                ("GPUTemperatureHigh", "initrode-thermal"),
            ]
            var seen: Set<String> = []
            let allFired = try await PrometheusHTTP.eventually(timeout: .seconds(200)) {
                let firing = try await PrometheusHTTP.query(credentials.prometheusURL, #"ALERTS{alertstate="firing"}"#)
                for alert in firing {
                    if let name = alert.labels["alertname"], let node = alert.labels["node"] { seen.insert("\(name)@\(node)") }
                }
                return expected.allSatisfy { seen.contains("\($0.alert)@\($0.node)") }
            }
            #expect(allFired, "firing: \(seen.sorted())")
            // `eventually` bounds the wait: scenario onset plus the scaled windows, with slack.

            // The alert view: initrode sees its alerts, acme none of them, the operator the Watchdog.
            func alerts(_ tenant: String) async throws -> [[String: Any]] {
                let key = try #require(credentials.tenants.first { $0.tenant == tenant }?.apiKey)
                let data = try await PrometheusHTTP.get(credentials.url + "/api/v1/factory/alerts", bearer: key)
                let json = try JSONSerialization.jsonObject(with: data)
                return (json as? [[String: Any]]) ?? ((json as? [String: Any])?["alerts"] as? [[String: Any]]) ?? []
            }
            let initrode = try await alerts("initrode")
            let initrodeText = String(describing: initrode)
            #expect(initrodeText.contains("GPUCriticalXID"))
            #expect(!initrodeText.contains("acme-"))
            let acme = try await alerts("acme")
            #expect(!String(describing: acme).contains("initrode"))
            let operatorView = try await alerts("operator")
            #expect(String(describing: operatorView).contains("Watchdog"))

            // The event recorder stored the XID 79 once, however many polls saw it.
            let initrodeKey = try #require(credentials.tenants.first { $0.tenant == "initrode" }?.apiKey)
            var xid79: [[String: Any]] = []
            let recorded = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                let data = try await PrometheusHTTP.get(credentials.url + "/api/v1/factory/nodes/initrode-xid79/events", bearer: initrodeKey)
                let json = try JSONSerialization.jsonObject(with: data)
                let events = (json as? [[String: Any]]) ?? ((json as? [String: Any])?["events"] as? [[String: Any]]) ?? []
                xid79 = events.filter { $0["kind"] as? String == "xid" && $0["code"] as? Int == 79 }
                return !xid79.isEmpty
            }
            #expect(recorded)
            #expect(xid79.count == 1)
            #expect(xid79.first?["count"] as? Int == 1, "\(xid79)")
        }
    }
}
