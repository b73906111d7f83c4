import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1
import Simulator
@testable import Stack
import TestSupport
import Testing

/// Issue 18 acceptance on the demo stack (real Prometheus and Alertmanager, simulated exporters):
/// one failure injected at a time into acme's `acme-h100-1`, each turning exactly the named check
/// red with its hint while every other check of acme stays as it was, then cleared. One demo start.
@Suite("Validate the stack on the demo", .serialized)
struct ValidateDemoTests {
    static let node = "acme-h100-1"

    /// Runs the self-check as `key`; the run's red checks (id → check).
    static func validate(_ base: String, key: String) async throws -> (run: [String: Any], red: [String: [String: Any]]) {
        var request = HTTPClientRequest(url: base + "/api/v1/factory/validate")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let body = try await response.body.collect(upTo: 4 << 20)
        #expect(response.status.code == 201, "\(String(buffer: body))")
        let run = (try JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
        let checks = run["checks"] as? [[String: Any]] ?? []
        let red = Dictionary(checks.filter { $0["status"] as? String == "fail" }.map { ($0["id"] as? String ?? "", $0) }) { a, _ in a }
        return (run, red)
    }

    /// Validates every second until the red set is `expected` (at most `seconds`); the last run.
    static func until(_ expected: Set<String>, _ base: String, key: String, seconds: Double = 30) async throws -> (run: [String: Any], red: [String: [String: Any]]) {
        try await until(base, key: key, seconds: seconds) { $0 == expected }
    }

    /// Validates every second until `done` holds for the red set (at most `seconds`); the last run.
    ///
    /// A scrape a loaded machine makes late reads as stale for a moment (freshness is two 1 s
    /// intervals here): a check is judged on the settled answer, never on one snapshot.
    static func until(_ base: String, key: String, seconds: Double = 30, _ done: (Set<String>) -> Bool) async throws -> (run: [String: Any], red: [String: [String: Any]]) {
        let deadline = Date().addingTimeInterval(seconds)
        var last = try await validate(base, key: key)
        while !done(Set(last.red.keys)), Date() < deadline {
            try await Task.sleep(for: .seconds(1))
            last = try await validate(base, key: key)
        }
        return last
    }

    @Test("stock-CSV ECC fields, a stale target, a renamed vLLM metric, a forged tenant label, a rule over nothing, Alertmanager down: each turns exactly its check red")
    func injectedFailures() async throws {
        guard ExternalTool.require("prometheus") != nil, ExternalTool.require("prometheus-alertmanager") != nil else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-validate-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let paths = DemoStatePaths(state)
        let configuration = DemoConfiguration(stateDirectory: state, port: 0, fleet: FleetFile.demo, scrapeInterval: .seconds(1))
        try await withDemoStack(configuration) { credentials in
            let acme = try #require(credentials.tenants.first { $0.tenant == "acme" }?.apiKey)
            let operatorKey = try #require(credentials.tenants.first { $0.role == "operator" }?.apiKey)
            let base = credentials.url
            let faults = credentials.simulatorURL + "/faults/" + Self.node

            // Baseline: acme is all green once the Watchdog has reached Alertmanager.
            let baseline = try await Self.until([], base, key: acme, seconds: 60)
            #expect(baseline.red.isEmpty, "acme starts green: \(baseline.red.keys.sorted())")
            let binary = ProcessRunner.aifactoryBinary
            let environment = ["AIFACTORY_URL": base, "AIFACTORY_KEY": acme]
            if let binary {
                let green = try await ProcessRunner.run(binary, ["validate"], environment: environment)
                #expect(green.status == 0, "aifactory validate exits 0 when nothing fails: \(green.output)")
                #expect(green.stdout.contains("0 fail"), "\(green.stdout)")
            }
            let checks = baseline.run["checks"] as? [[String: Any]] ?? []
            #expect(checks.count >= 15, "\(checks.count) checks")
            print("note: validate on the demo as acme: \(checks.count) checks in \(baseline.run["durationMs"] as? Int ?? -1) ms")

            // The operator's fleet run: 12 nodes, the demo's built-in broken nodes red, timed.
            // initrode-down's exporters are down only in its scenario's outage windows.
            let builtIn: Set<String> = ["targets.initrode-down.dcgm", "targets.initrode-down.vllm", "coverage.initrode-stockcsv"]
            let fleet = try await Self.until(base, key: operatorKey) { $0.contains("coverage.initrode-stockcsv") && $0.isSubset(of: builtIn) }
            let fleetChecks = (fleet.run["checks"] as? [[String: Any]])?.count ?? 0
            let fleetMs = fleet.run["durationMs"] as? Int ?? -1
            print("note: validate on the demo as operator: \((fleet.run["nodes"] as? [Any])?.count ?? 0) nodes, \(fleetChecks) checks in \(fleetMs) ms")
            #expect(fleet.red.keys.contains("coverage.initrode-stockcsv") && Set(fleet.red.keys).isSubset(of: builtIn),
                    "\(fleet.red.keys.sorted())")

            struct Injection {
                var name: String
                var fault: String
                var red: Set<String>
                var hint: String
            }
            let injections = [
                Injection(name: "stock CSV", fault: #"{"dropFields": ["DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL"]}"#,
                          red: ["coverage.\(Self.node)"], hint: "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL, counter, Total number of double-bit volatile ECC errors."),
                Injection(name: "stale target", fault: #"{"down": true}"#,
                          red: ["targets.\(Self.node).dcgm", "targets.\(Self.node).vllm"], hint: "listens at that address"),
                Injection(name: "renamed vLLM metric", fault: #"{"legacyVLLMNames": true}"#,
                          red: ["vllm.\(Self.node)"], hint: "--show-hidden-metrics-for-version"),
                Injection(name: "forged tenant label", fault: #"{"forgedTenant": "globex"}"#,
                          red: ["tenancy.\(Self.node)"], hint: "Remove the tenant label from the exporter"),
            ]
            for injection in injections {
                #expect(try await DemoFaultsTests.send(.PUT, faults, json: injection.fault).status == 200, "\(injection.name)")
                let broken = try await Self.until(injection.red, base, key: acme)
                #expect(Set(broken.red.keys) == injection.red, "\(injection.name): red \(broken.red.keys.sorted())")
                #expect(broken.red.values.contains { ($0["hint"] as? String)?.contains(injection.hint) == true },
                        "\(injection.name): hint \(broken.red.values.map { $0["hint"] ?? "" })")
                if injection.name == "stale target" {
                    #expect((broken.red["targets.\(Self.node).dcgm"]?["seen"] as? String)?.contains("503") == true, "the scrape's lastError is quoted")
                }
                #expect(try await DemoFaultsTests.send(.DELETE, faults).status == 204)
                let healed = try await Self.until([], base, key: acme)
                #expect(healed.red.isEmpty, "\(injection.name) cleared: \(healed.red.keys.sorted())")
            }

            // A rule over a metric nobody exports: loaded on a reload, listed as unable to fire.
            try """
                groups:
                - name: validate-test
                  rules:
                  - alert: RuleOverNothing
                    expr: aifactory_metric_nobody_exports > 0

                """.write(toFile: paths.rulesDirectory + "/nothing.yml", atomically: true, encoding: .utf8)
            try await PrometheusReload.reload(stateDirectory: state, prometheusURL: credentials.prometheusURL)
            let dead = try await Self.until(["rules.can-fire"], base, key: acme)
            #expect(Set(dead.red.keys) == ["rules.can-fire"], "\(dead.red.keys.sorted())")
            #expect((dead.red["rules.can-fire"]?["seen"] as? String)?.contains("RuleOverNothing reads aifactory_metric_nobody_exports") == true)
            try FileManager.default.removeItem(atPath: paths.rulesDirectory + "/nothing.yml")
            try await PrometheusReload.reload(stateDirectory: state, prometheusURL: credentials.prometheusURL)
            #expect(try await Self.until([], base, key: acme).red.isEmpty)

            // Alertmanager down (last: it is not restarted).
            let pid = try #require(Int32(try String(contentsOfFile: paths.alertmanagerPID, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(kill(pid, SIGTERM) == 0)
            let down = try await Self.until(["alerting.alertmanager", "alerting.delivered"], base, key: acme)
            #expect(Set(down.red.keys) == ["alerting.alertmanager", "alerting.delivered"], "\(down.red.keys.sorted())")
            #expect((down.red["alerting.alertmanager"]?["hint"] as? String)?.contains("Start Alertmanager") == true)
            if let binary {
                let red = try await ProcessRunner.run(binary, ["validate"], environment: environment)
                #expect(red.status == 1, "aifactory validate exits 1 on a failure: \(red.output)")
                #expect(red.stdout.contains("[FAIL] Alertmanager reachable"), "\(red.stdout)")
            }
        }
    }
}
