public import Export
import Foundation
import PromQL
public import Testing

@Suite("AlertRuleSet")
struct AlertRuleSetTests {
    static let set = AlertRuleSet.standard(.init(), nodes: [(node: "n1", tenant: "acme"), (node: "n2", tenant: "globex")])
    static let rules = set.rules

    @Test("every expression parses with our PromQL parser", arguments: rules)
    func parses(rule: AlertRule) throws {
        _ = try Parser.parse(rule.expr)
    }

    @Test("every expression parses at a tenth of the durations")
    func parsesScaled() throws {
        for rule in AlertRuleSet.standard(.init(durationScale: 0.1), nodes: [(node: "n1", tenant: "acme")]).rules {
            #expect(throws: Never.self, "\(rule.name): \(rule.expr)") { _ = try Parser.parse(rule.expr) }
        }
    }

    @Test("every alert keeps or sets tenant and node, except operator-only ones", arguments: rules)
    func tenantAndNode(rule: AlertRule) throws {
        if rule.operatorOnly {
            #expect(rule.labels["tenant"] == nil)
            return
        }
        let expr = try Parser.parse(rule.expr)
        let kept = OutputLabels.of(expr)
        for label in ["tenant", "node"] {
            #expect(rule.labels[label] != nil || kept.contains(label), "\(rule.name) loses \(label): \(rule.expr)")
        }
    }

    @Test("every alert has summary, description and a runbook URL under the configured base", arguments: rules)
    func annotations(rule: AlertRule) {
        #expect(!rule.summary.isEmpty)
        #expect(!rule.description.isEmpty)
        #expect(Self.set.runbookURL(for: rule.name) == "docs/runbooks/\(rule.name).md")
        let custom = AlertRuleSet.standard(.init(runbookBaseURL: "https://git.example/x/"))
        #expect(custom.runbookURL(for: rule.name) == "https://git.example/x/\(rule.name).md")
    }

    @Test("the rule file carries severity, summary, description and runbook_url for every rule")
    func renderedFile() {
        let text = Self.set.renderRuleFile()
        #expect(text.components(separatedBy: "- alert: ").count - 1 == Self.rules.count)
        #expect(text.components(separatedBy: "severity: ").count - 1 == Self.rules.count)
        #expect(text.components(separatedBy: "runbook_url: ").count - 1 == Self.rules.count)
        #expect(text.components(separatedBy: "summary: ").count - 1 == Self.rules.count)
        #expect(text.components(separatedBy: "description: ").count - 1 == Self.rules.count)
    }

    @Test("the issue's alerts are all there")
    func catalog() {
        let names = Set(Self.set.alertNames)
        for name in [
            "GPUCriticalXID", "GPUDoubleBitECCError", "GPUTemperatureHigh", "GPUTemperatureCritical", "GPURowRemapFailure",
            "GPUPCIeLinkDowngraded", "GPUHardwareSlowdown", "ExporterDown", "GPUMetricsAbsent", "VLLMTimeToFirstTokenHigh",
            "VLLMKVCacheFull", "VLLMQueueGrowing", "VLLMPreemptions", "VLLMRequestSuccessRateLow", "VLLMTTFTBudgetBurn",
            "VLLMAvailabilityBudgetBurn", "Watchdog",
        ] {
            #expect(names.contains(name), "\(name) missing")
        }
    }

    @Test("KV cache alert falls back to the pre-0.10 vLLM name")
    func kvFallback() throws {
        let rule = try #require(Self.rules.first { $0.name == "VLLMKVCacheFull" })
        #expect(rule.expr.contains("vllm:kv_cache_usage_perc or vllm:gpu_cache_usage_perc"))
    }

    @Test("one absent_over_time rule per inventory node, labelled with its tenant")
    func absentPerNode() {
        let absent = Self.rules.filter { $0.expr.hasPrefix("absent_over_time") }
        #expect(absent.map { $0.labels["node"] } == ["n1", "n2"])
        #expect(absent.map { $0.labels["tenant"] } == ["acme", "globex"])
        #expect(AlertRuleSet.standard().rules.allSatisfy { !$0.expr.hasPrefix("absent_over_time") })
    }

    @Test("durationScale scales for: and windows, never below 1s")
    func scaling() {
        let options = AlertRuleOptions(durationScale: 0.1)
        #expect(options.duration(300) == "30s")
        #expect(options.duration(3600) == "6m")
        #expect(options.duration(21600) == "36m")
        #expect(options.duration(5) == "1s")
        #expect(AlertRuleOptions().duration(5400) == "1h30m")
        let fast = AlertRuleSet.standard(options)
        let high = fast.rules.first { $0.name == "GPUTemperatureHigh" }
        #expect(high?.duration == "30s")
        #expect(fast.rules.first { $0.name == "VLLMTTFTBudgetBurn" }?.expr.contains("[6m]") == true)
    }

    @Test("Watchdog is operator-only but still has a severity")
    func watchdog() throws {
        let rule = try #require(Self.rules.first { $0.name == "Watchdog" })
        #expect(rule.operatorOnly)
        #expect(rule.severity == .none)
        #expect(Self.set.renderRuleFile().contains("severity: none"))
    }
}

extension AlertRule: CustomTestStringConvertible {
    public var testDescription: String { "\(name) (\(severity.rawValue))" }
}
