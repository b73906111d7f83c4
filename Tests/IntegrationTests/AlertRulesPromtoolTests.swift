import Export
import Foundation
import Testing

/// The exported rules and Alertmanager config through the real Debian tools.
///
/// `promtool check rules` validates the rendered rule files; `promtool test rules` runs
/// `deploy/prometheus/tests/aifactory-rules.test.yml` (generated from
/// `Tests/ExportTests/PromtoolCases.swift`) against the committed `aifactory-rules.yml`, which
/// `Tests/ExportTests` keeps equal to what the code renders. `amtool check-config` validates the
/// rendered Alertmanager configuration.
@Suite("Alert rules through promtool and amtool")
struct AlertRulesPromtoolTests {
    static var repository: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent() // IntegrationTests
            .deletingLastPathComponent() // Tests
            .deletingLastPathComponent()
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aifactory-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let inventory: [(node: String, tenant: String)] = [("n1", "acme"), ("n2", "globex")]

    @Test("promtool check rules accepts the rule file at production and at test durations", .timeLimit(.minutes(1)),
          arguments: [1.0, 0.1])
    func checkRules(scale: Double) async throws {
        guard let promtool = ExternalTool.require("promtool") else { return }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let set = AlertRuleSet.standard(.init(durationScale: scale), nodes: Self.inventory)
        let file = directory.appendingPathComponent("rules.yml")
        try set.renderRuleFile().write(to: file, atomically: true, encoding: .utf8)
        let result = try await ProcessRunner.run(promtool, ["check", "rules", file.path], timeout: 30)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("SUCCESS: \(set.rules.count) rules found"), "\(result.output)")
    }

    @Test("promtool check rules accepts the PrometheusRule's spec", .timeLimit(.minutes(1)))
    func checkPrometheusRuleSpec() async throws {
        guard let promtool = ExternalTool.require("promtool") else { return }
        // The PrometheusRule's `spec:` is a rule file indented by two; strip the envelope.
        let text = AlertRuleSet.standard(.init(), nodes: Self.inventory).renderPrometheusRule(name: "aifactory", namespace: "monitoring")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let spec = try #require(lines.firstIndex { $0 == "spec:" })
        let body = lines[(spec + 1)...].map { $0.hasPrefix("  ") ? String($0.dropFirst(2)) : String($0) }.joined(separator: "\n")
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("spec.yml")
        try body.write(to: file, atomically: true, encoding: .utf8)
        let result = try await ProcessRunner.run(promtool, ["check", "rules", file.path], timeout: 30)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("promtool test rules: every alert fires and stays quiet in the committed unit tests", .timeLimit(.minutes(2)))
    func unitTests() async throws {
        guard let promtool = ExternalTool.require("promtool") else { return }
        let testFile = Self.repository.appendingPathComponent("deploy/prometheus/tests/aifactory-rules.test.yml")
        let result = try await ProcessRunner.run(promtool, ["test", "rules", testFile.path], timeout: 90)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("SUCCESS"), "\(result.output)")

        // Independent of the generator: read the YAML back and check coverage per alert name.
        let text = try String(contentsOf: testFile, encoding: .utf8)
        var firing: Set<String> = [], quiet: Set<String> = []
        var current: String?
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("alertname: ") { current = String(line.dropFirst("alertname: ".count)) }
            if line.hasPrefix("exp_alerts:"), let name = current {
                if line == "exp_alerts: []" { quiet.insert(name) } else { firing.insert(name) }
                current = nil
            }
        }
        for name in AlertRuleSet.standard().alertNames {
            #expect(firing.contains(name), "\(name) has no firing alert_rule_test case")
            #expect(quiet.contains(name), "\(name) has no non-firing alert_rule_test case")
        }
    }

    @Test("amtool check-config accepts the rendered Alertmanager config, with and without paging tenants", .timeLimit(.minutes(1)))
    func alertmanagerConfig() async throws {
        guard let amtool = ExternalTool.require("amtool") else { return }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let configs = [
            AlertmanagerConfig(tenants: [
                "acme": TenantReceivers(webhookURL: "https://a.example/hook", slack: .init(channel: "#acme", apiURL: "https://hooks.slack.com/services/x"),
                                        pagerDutyRoutingKey: "0123456789abcdef0123456789abcdef"),
                "globex": TenantReceivers(webhookURL: "https://g.example/hook"),
                "quiet": TenantReceivers(),
            ], operatorWebhookURL: "http://127.0.0.1:9099/operator"),
            AlertmanagerConfig(tenants: [:], operatorWebhookURL: "http://127.0.0.1:9099/operator"),
        ]
        for (index, config) in configs.enumerated() {
            let file = directory.appendingPathComponent("alertmanager-\(index).yml")
            try config.render().write(to: file, atomically: true, encoding: .utf8)
            let result = try await ProcessRunner.run(amtool, ["check-config", file.path], timeout: 30)
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("SUCCESS"), "\(result.output)")
        }
        let committed = Self.repository.appendingPathComponent("deploy/prometheus/alertmanager.example.yml")
        let result = try await ProcessRunner.run(amtool, ["check-config", committed.path], timeout: 30)
        #expect(result.status == 0, "\(result.output)")
    }
}
