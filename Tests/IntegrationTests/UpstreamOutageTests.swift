import Foundation
import Simulator
import Stack
import TestSupport
import Testing

/// Prometheus stops answering mid-run, first hung (SIGSTOP: connections accepted, nothing answers),
/// then dead (SIGKILL: connections refused) and restarted by the demo's supervisor: each time the
/// overview keeps the last known values under a stale flag with its time and a reason (never a
/// 5xx), and recovers by itself once Prometheus answers again.
@Suite("Upstream outage", .serialized)
struct UpstreamOutageTests {
    @Test("a hung, then a killed and restarted Prometheus give stale answers with asOf and reason, then fresh ones")
    func staleThenRecovered() async throws {
        guard ExternalTool.require("prometheus") != nil else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-outage-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        // A long restart pause leaves time to see the stale answers while Prometheus is dead.
        let configuration = DemoConfiguration(
            stateDirectory: state, port: 0, fleet: FleetFile.demo, scrapeInterval: .seconds(1),
            prometheusRestart: .init(delay: .seconds(8), limit: 2, window: .seconds(600))
        )
        try await withDemoStack(configuration) { credentials in
            let key = try #require(credentials.tenants.first { $0.tenant == "acme" }?.apiKey)
            func overview() async throws -> [String: Any] {
                let data = try await PrometheusHTTP.get(credentials.url + "/api/v1/factory/overview", bearer: key)
                return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            }
            func hasData(_ body: [String: Any]) -> Bool {
                let nodes = body["nodes"] as? [[String: Any]] ?? []
                return !nodes.isEmpty && nodes.allSatisfy { $0["temperatureC"] is Double }
            }
            let fresh = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                let body = try await overview()
                return body["stale"] as? Bool == false && hasData(body)
            }
            #expect(fresh)

            // Freeze Prometheus (SIGSTOP): connections are accepted by the kernel, nothing answers.
            let pidText = try String(contentsOfFile: state + "/prometheus.pid", encoding: .utf8)
            let pid = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
            kill(pid, SIGSTOP)
            // Continued whatever happens next: a frozen child left behind hangs the shutdown.
            var continued = false
            defer { if !continued { kill(pid, SIGCONT) } }
            var staleBody: [String: Any] = [:]
            let wentStale = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                staleBody = try await overview()  // a 5xx would throw here
                return staleBody["stale"] as? Bool == true
            }
            kill(pid, SIGCONT)
            continued = true
            #expect(wentStale)
            #expect(hasData(staleBody), "the last known values are kept")
            #expect((staleBody["reason"] as? String)?.isEmpty == false)
            #expect(staleBody["asOf"] is String)

            let recovered = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                let body = try await overview()
                return body["stale"] as? Bool == false && hasData(body)
            }
            #expect(recovered, "recovery needs no restart")

            // Kill it outright: the API answers stale at once, the supervisor starts a new one.
            kill(pid, SIGKILL)
            var deadBody: [String: Any] = [:]
            let staleWhileDead = try await PrometheusHTTP.eventually(timeout: .seconds(30)) {
                deadBody = try await overview()
                return deadBody["stale"] as? Bool == true
            }
            #expect(staleWhileDead)
            #expect(hasData(deadBody), "the last known values are kept while Prometheus is down")
            #expect((deadBody["reason"] as? String)?.isEmpty == false)
            let restarted = try await PrometheusHTTP.eventually(timeout: .seconds(90)) {
                let body = try await overview()
                return body["stale"] as? Bool == false && hasData(body)
            }
            #expect(restarted, "a restarted Prometheus brings fresh answers back")
            let newPID = try String(contentsOfFile: state + "/prometheus.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(Int32(newPID) != pid, "a new Prometheus process serves")
        }
    }
}
