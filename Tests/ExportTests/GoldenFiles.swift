import Export
import Foundation
import Testing

/// The files committed under `deploy/prometheus/` and how each is rendered.
///
/// To regenerate after changing the rules: `AIFACTORY_REGENERATE=1 swift test --filter GoldenFileTests`
/// (or the matching `aifactory export …` command printed in each failure).
enum GoldenFiles {
    struct Entry: Sendable, CustomTestStringConvertible {
        let path: String
        let command: String
        let render: @Sendable () throws -> String
        var testDescription: String { path }
    }

    static let prometheusRuleName = "aifactory"
    static let prometheusRuleNamespace = "monitoring"

    static let entries: [Entry] = [
        Entry(path: "deploy/prometheus/aifactory-rules.yml",
              command: "aifactory export rules --fleet deploy/demo/fleet.yaml --out deploy/prometheus/aifactory-rules.yml") {
            AlertRuleSet.standard(.init(), targets: try Repository.demoTargets()).renderRuleFile()
        },
        Entry(path: "deploy/prometheus/prometheusrule.yaml",
              command: "aifactory export prometheusrule --fleet deploy/demo/fleet.yaml --out deploy/prometheus/prometheusrule.yaml") {
            AlertRuleSet.standard(.init(), targets: try Repository.demoTargets())
                .renderPrometheusRule(name: prometheusRuleName, namespace: prometheusRuleNamespace)
        },
    ]
}

@Suite("Golden files under deploy/prometheus")
struct GoldenFileTests {
    @Test("each committed file equals what the code renders", arguments: GoldenFiles.entries + [GoldenFiles.alertmanager, GoldenFiles.grafana, GoldenFiles.promtoolTests])
    func matches(entry: GoldenFiles.Entry) throws {
        let rendered = try entry.render()
        let url = Repository.url(entry.path)
        if ProcessInfo.processInfo.environment["AIFACTORY_REGENERATE"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try rendered.write(to: url, atomically: true, encoding: .utf8)
        }
        let committed = (try? Repository.read(entry.path)) ?? ""
        #expect(committed == rendered, """
            \(entry.path) differs from what the code renders. Regenerate it with
              AIFACTORY_REGENERATE=1 swift test --filter GoldenFileTests
            or
              swift run aifactory export \(entry.command.dropFirst("aifactory export ".count))
            and review the diff before committing.
            """)
    }
}

extension GoldenFiles {
    static let operatorWebhook = "http://127.0.0.1:9099/operator"

    static let alertmanager = Entry(
        path: "deploy/prometheus/alertmanager.example.yml",
        command: "aifactory export alertmanager --tenants deploy/prometheus/tenants.example.yml --operator-webhook \(operatorWebhook) --out deploy/prometheus/alertmanager.example.yml") {
        let tenants = try AlertmanagerConfig.parseTenants(yaml: Repository.read("deploy/prometheus/tenants.example.yml"))
        return AlertmanagerConfig(tenants: tenants, operatorWebhookURL: operatorWebhook).render()
    }

    static let grafana = Entry(
        path: "deploy/prometheus/grafana-dashboard.json",
        command: "aifactory export grafana --out deploy/prometheus/grafana-dashboard.json") {
        GrafanaDashboard.standard().renderJSON()
    }

    static let promtoolTests = Entry(
        path: "deploy/prometheus/tests/aifactory-rules.test.yml",
        command: "(none: rendered by the test from Tests/ExportTests/PromtoolCases.swift)") {
        try PromtoolCases.file().render()
    }
}
