import Fleet
import Foundation
import PromQL
import Simulator
import Stack
import Testing

@Suite("PrometheusConfig")
struct PrometheusConfigTests {
    @Test("every node gets a dcgm target with tenant, node, pool and gpu_class labels")
    func targetsCarryInventoryLabels() async throws {
        let fleet = FleetFile.demo.spec
        let targets = ScrapeTarget.targets(for: fleet, simulatorAddress: "127.0.0.1:9999")
        let dcgm = targets.filter { $0.job == "dcgm" }
        #expect(dcgm.count == fleet.nodes.count)
        for node in fleet.nodes {
            let target = try #require(dcgm.first { $0.labels["node"] == node.name })
            #expect(target.labels["tenant"] == node.holding.tenant)
            #expect(target.labels["gpu_class"] == node.gpuClass)
            #expect(target.labels["pool"] == (node.holding.pool ?? ScopeLabel.dedicatedPool), "always set: an exporter cannot bring its own")
            #expect(target.metricsPath == "/nodes/\(node.name)/dcgm/metrics")
        }
        let vllm = targets.filter { $0.job == "vllm" }
        #expect(vllm.count == fleet.nodes.filter { $0.servedModel != nil }.count)
    }

    @Test("honor_labels is false on every job, so exporters cannot forge tenant")
    func honorLabelsFalse() {
        let config = PrometheusConfig(targets: ScrapeTarget.targets(for: FleetFile.demo.spec, simulatorAddress: "127.0.0.1:1"))
        let text = config.render()
        let jobs = text.components(separatedBy: "job_name:").count - 1
        #expect(jobs == 2)
        #expect(text.components(separatedBy: "honor_labels: false").count - 1 == jobs)
        #expect(!text.contains("honor_labels: true"))
    }

    @Test("label values cannot break out of their YAML quotes")
    func quoting() {
        let hostile = ScrapeTarget(job: "dcgm", address: "127.0.0.1:1", metricsPath: "/x", labels: ["tenant": "a\"\n  evil: true\\"])
        let text = PrometheusConfig(targets: [hostile]).render()
        #expect(text.contains(#"tenant: "a\"\n  evil: true\\""#))
        #expect(!text.contains("\n  evil: true"))
    }

    @Test("an Alertmanager adds one alerting block with its address; without one there is none")
    func alertingBlock() {
        let with = PrometheusConfig(ruleFiles: ["/state/rules/*.yml"], alertmanagers: ["127.0.0.1:9093"]).render()
        #expect(with.contains("""
            rule_files:
              - "/state/rules/*.yml"
            alerting:
              alertmanagers:
                - static_configs:
                    - targets: ["127.0.0.1:9093"]
            scrape_configs:

            """))
        #expect(!PrometheusConfig(ruleFiles: ["/state/rules/*.yml"]).render().contains("alerting:"))
        let hostile = PrometheusConfig(alertmanagers: ["a\"]\n  evil: true"]).render()
        #expect(!hostile.contains("\n  evil: true"))
    }

    @Test("the real promtool accepts the alerting block and a rule-file glob")
    func promtoolAlerting() async throws {
        guard let promtool = ExternalTool.require("promtool") else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("aif-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("rules"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "groups:\n- name: extra\n  rules:\n  - alert: Always\n    expr: vector(1)\n"
            .write(to: dir.appendingPathComponent("rules/extra.yml"), atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("prometheus.yml").path
        let config = PrometheusConfig(
            targets: ScrapeTarget.targets(for: FleetFile.demo.spec, simulatorAddress: "127.0.0.1:9400"),
            ruleFiles: [dir.path + "/rules/*.yml"], alertmanagers: ["127.0.0.1:9093"])
        try config.render().write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await ProcessRunner.run(promtool, ["check", "config", path])
        #expect(result.status == 0, "promtool said: \(result.output)")
        #expect(result.output.contains("extra.yml"), "the glob found the rule file: \(result.output)")
    }

    @Test("the real promtool accepts the generated configuration")
    func promtoolCheckConfig() async throws {
        guard let promtool = ExternalTool.require("promtool") else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("aif-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("prometheus.yml").path
        let config = PrometheusConfig(targets: ScrapeTarget.targets(for: FleetFile.demo.spec, simulatorAddress: "127.0.0.1:9400"))
        try config.render().write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await ProcessRunner.run(promtool, ["check", "config", path])
        #expect(result.status == 0, "promtool said: \(result.output)")
    }
}
