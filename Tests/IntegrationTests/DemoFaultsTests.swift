import AsyncHTTPClient
import Fleet
import Foundation
import Logging
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1
import Simulator
@testable import Stack
import TestSupport
import Testing

/// Issue 18 groundwork: the demo runs a real Alertmanager with the exported routing, the
/// simulator takes exporter faults at run time, and a rule file dropped into the state directory
/// is loaded on a reload. One demo start for all of it (the integration budget is shared).
@Suite("Demo faults and alert path", .serialized)
struct DemoFaultsTests {
    @Test("Watchdog reaches Alertmanager; a forged tenant shows as exported_tenant until cleared; a dropped rule file loads on reload; a stopped Alertmanager stays down")
    func alertPathAndFaults() async throws {
        guard ExternalTool.require("prometheus") != nil, ExternalTool.require("prometheus-alertmanager") != nil else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-faults-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let paths = DemoStatePaths(state)
        let configuration = DemoConfiguration(stateDirectory: state, port: 0, fleet: FleetFile.demo, scrapeInterval: .seconds(1))
        let started = ContinuousClock.now

        let alertmanagerURL = try await withDemoStack(configuration) { credentials in
            let alertmanager = try #require(credentials.alertmanagerURL)
            #expect(DemoCredentials.load(path: paths.credentials)?.alertmanagerURL == alertmanager)
            let config = try String(contentsOfFile: state + "/prometheus.yml", encoding: .utf8)
            #expect(config.contains("- targets: [\"\(alertmanager.dropFirst("http://".count))\"]"))

            // 1. The Watchdog fires in Prometheus and is in Alertmanager.
            let watchdog = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                let firing = try await PrometheusHTTP.query(credentials.prometheusURL, #"ALERTS{alertname="Watchdog",alertstate="firing"}"#)
                let received = try await Self.alerts(alertmanager, filter: #"alertname="Watchdog""#)
                return firing.count == 1 && received.count == 1
            }
            #expect(watchdog, "Watchdog firing in Prometheus and present in Alertmanager")
            print("note: Watchdog in Alertmanager \(ContinuousClock.now - started) after the demo was started")

            // 2. A forged tenant on one node: Prometheus keeps the inventory's and stores the forged one apart.
            let node = "acme-h100-1"
            let gpus = try #require(FleetFile.demo.spec.nodes.first { $0.name == node }?.gpuCount)
            let put = try await Self.send(.PUT, credentials.simulatorURL + "/faults/\(node)", json: #"{"forgedTenant": "globex"}"#)
            #expect(put.status == 200, "\(put.body)")
            let forged = try await PrometheusHTTP.eventually(timeout: .seconds(30)) {
                let series = try await PrometheusHTTP.query(credentials.prometheusURL, #"DCGM_FI_DEV_GPU_TEMP{node="\#(node)",exported_tenant="globex"}"#)
                return series.count == gpus && series.allSatisfy { $0.labels["tenant"] == "acme" }
            }
            #expect(forged, "exported_tenant=globex beside tenant=acme on every GPU of \(node)")
            let listed = try await Self.send(.GET, credentials.simulatorURL + "/faults")
            #expect(listed.body.contains(#""acme-h100-1":{"#))
            let cleared = try await Self.send(.DELETE, credentials.simulatorURL + "/faults/\(node)")
            #expect(cleared.status == 204)
            let clean = try await PrometheusHTTP.eventually(timeout: .seconds(30)) {
                try await PrometheusHTTP.query(credentials.prometheusURL, #"DCGM_FI_DEV_GPU_TEMP{node="\#(node)",exported_tenant!=""}"#).isEmpty
            }
            #expect(clean, "the forged series go stale once the fault is cleared")

            // 3. A rule file dropped into the rules directory is loaded on a reload (SIGHUP).
            try """
                groups:
                - name: aifactory-test-extra
                  rules:
                  - alert: TestRuleOverNothing
                    expr: absent_metric_nobody_exports > 0

                """.write(toFile: paths.rulesDirectory + "/extra.yml", atomically: true, encoding: .utf8)
            try await PrometheusReload.reload(stateDirectory: state, prometheusURL: credentials.prometheusURL)
            let rules = String(decoding: try await PrometheusHTTP.get(credentials.prometheusURL + "/api/v1/rules"), as: UTF8.self)
            #expect(rules.contains("aifactory-test-extra") && rules.contains("TestRuleOverNothing"))
            #expect(rules.contains("\"name\":\"Watchdog\""), "the standard rules stay loaded")

            // 4. Stopping Alertmanager (as the "Alertmanager down" test will): it stays down, the demo stays up.
            let pidText = try String(contentsOfFile: paths.alertmanagerPID, encoding: .utf8)
            let pid = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(kill(pid, SIGTERM) == 0)
            let gone = try await PrometheusHTTP.eventually(timeout: .seconds(20)) {
                let ready = await ReadinessProbe.answersOK(alertmanager + "/-/ready")
                return !ready && !FileManager.default.fileExists(atPath: paths.alertmanagerPID)
            }
            #expect(gone, "alertmanager stopped and its pid file removed")
            try await Task.sleep(for: .seconds(3))  // longer than any restart pause: none may come
            #expect(await ReadinessProbe.answersOK(alertmanager + "/-/ready") == false, "not restarted")
            _ = try await PrometheusHTTP.get(credentials.url + "/healthz")
            return alertmanager
        }
        let port = Int(alertmanagerURL.split(separator: ":").last ?? "") ?? -1
        #expect(PortProbe.isAvailable(host: "127.0.0.1", port: port))
    }

    @Test("the demo's Alertmanager configuration is the exported routing, accepted by amtool")
    func alertmanagerConfigChecks() async throws {
        let text = DemoStack.alertmanagerConfig(fleet: FleetFile.demo.spec, webhookBase: "http://127.0.0.1:9")
        for tenant in FleetFile.demo.spec.tenants {
            #expect(text.contains("http://127.0.0.1:9/alertmanager-webhook/tenant-\(tenant)"), "\(tenant)")
        }
        #expect(text.contains("http://127.0.0.1:9/alertmanager-webhook/operator"))
        guard let amtool = ExternalTool.require("amtool") else { return }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("aif-am-\(UUID().uuidString).yml")
        defer { try? FileManager.default.removeItem(at: file) }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try await ProcessRunner.run(amtool, ["check-config", file.path], timeout: 30)
        #expect(result.status == 0, "amtool said: \(result.output)")
    }

    @Test("credentials written before the demo ran an Alertmanager still load")
    func oldCredentials() throws {
        let old = #"{"url":"http://127.0.0.1:8080","prometheusURL":"http://127.0.0.1:9090","simulatorURL":"http://127.0.0.1:9400","tenants":[]}"#
        let decoded = try JSONDecoder().decode(DemoCredentials.self, from: Data(old.utf8))
        #expect(decoded.alertmanagerURL == nil)
        #expect(decoded.prometheusURL == "http://127.0.0.1:9090")
    }

    @Test("the Alertmanager child runs on loopback with no gossip port")
    func alertmanagerArguments() {
        let runtime = AlertmanagerRuntime(binary: "/usr/bin/prometheus-alertmanager", port: 9093, stateDirectory: "/tmp/state")
        #expect(runtime.arguments == [
            "--config.file=/tmp/state/alertmanager.yml", "--storage.path=/tmp/state/alertmanager",
            "--web.listen-address=127.0.0.1:9093", "--cluster.listen-address=",
        ])
        #expect(runtime.pidPath == DemoStatePaths("/tmp/state").alertmanagerPID)
    }

    @Test("turned off, the demo has no Alertmanager (as where it is not installed)")
    func alertmanagerOff() throws {
        var configuration = DemoConfiguration(stateDirectory: "/tmp/unused", fleet: FleetFile.demo)
        configuration.alertmanager = false
        #expect(try DemoStack.alertmanagerRuntime(configuration, stateDirectory: "/tmp/unused", logger: .init(label: "test")) == nil)
    }

    // MARK: - HTTP

    /// Alertmanager's `GET /api/v2/alerts?filter=…` (active alerts matching the filter).
    static func alerts(_ alertmanager: String, filter: String) async throws -> [[String: Any]] {
        var components = URLComponents(string: alertmanager + "/api/v2/alerts")!
        components.queryItems = [URLQueryItem(name: "filter", value: filter)]
        let body = try await PrometheusHTTP.get(components.url!.absoluteString)
        return try JSONSerialization.jsonObject(with: body) as? [[String: Any]] ?? []
    }

    static func send(_ method: HTTPMethod, _ url: String, json: String? = nil) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }
}
