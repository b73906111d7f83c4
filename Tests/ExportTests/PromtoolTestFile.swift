import Foundation
import Export

/// A `promtool test rules` file as data: groups of input series with alert expectations.
///
/// The cases (series, times, expected labels) are written by hand in `PromtoolCases.swift`; only
/// the expected annotations are derived, by expanding the rule's label templates the way
/// Prometheus does, so a reworded description needs no second edit. The rendered file is committed
/// as `deploy/prometheus/tests/aifactory-rules.test.yml` (a golden file) and run by
/// `Tests/IntegrationTests/AlertRulesPromtoolTests.swift`.
struct PromtoolTestFile {
    struct Series {
        var series: String
        var values: String
    }

    struct Expected {
        var labels: [String: String]
        /// Text of `{{ $value }}` in the annotations, where the rule uses it.
        var value: String = ""
    }

    struct Check {
        var at: String
        var alert: String
        var firing: [Expected]
    }

    struct Group {
        var name: String
        var series: [Series]
        var checks: [Check]
    }

    var ruleFile: String
    var groups: [Group]
    var rules: AlertRuleSet

    /// The rule whose static labels all appear in `labels`, preferring the most specific.
    func rule(named name: String, labels: [String: String]) -> AlertRule? {
        rules.rules
            .filter { $0.name == name && $0.labels.allSatisfy { labels[$0.key] == $0.value } }
            .max { $0.labels.count < $1.labels.count }
    }

    static func expand(_ template: String, labels: [String: String], value: String) -> String {
        var out = template.replacingOccurrences(of: "{{ $value }}", with: value)
        while let open = out.range(of: "{{ $labels."), let close = out.range(of: " }}", range: open.upperBound..<out.endIndex) {
            let key = String(out[open.upperBound..<close.lowerBound])
            out.replaceSubrange(open.lowerBound..<close.upperBound, with: labels[key] ?? "<no value>")
        }
        return out
    }

    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    func render() -> String {
        var out = """
            # Generated from Tests/ExportTests/PromtoolCases.swift; do not edit by hand.
            # Regenerate: AIFACTORY_REGENERATE=1 swift test --filter GoldenFileTests
            # Run: promtool test rules deploy/prometheus/tests/aifactory-rules.test.yml
            rule_files:
              - \(ruleFile)
            evaluation_interval: 1m
            tests:

            """
        for group in groups {
            out += "  # \(group.name)\n"
            out += "  - interval: 1m\n"
            out += "    input_series:\n"
            for series in group.series {
                out += "      - series: \(Self.quote(series.series))\n"
                out += "        values: \(Self.quote(series.values))\n"
            }
            out += "    alert_rule_test:\n"
            for check in group.checks {
                out += "      - eval_time: \(check.at)\n"
                out += "        alertname: \(check.alert)\n"
                if check.firing.isEmpty {
                    out += "        exp_alerts: []\n"
                    continue
                }
                out += "        exp_alerts:\n"
                for expected in check.firing {
                    var labels = expected.labels
                    let rule = rule(named: check.alert, labels: labels)
                    if let rule { labels["severity"] = rule.severity.rawValue }
                    out += "          - exp_labels:\n"
                    for key in labels.keys.sorted() {
                        out += "              \(key): \(Self.quote(labels[key] ?? ""))\n"
                    }
                    guard let rule else { continue }
                    out += "            exp_annotations:\n"
                    out += "              summary: \(Self.quote(Self.expand(rule.summary, labels: labels, value: expected.value)))\n"
                    out += "              description: \(Self.quote(Self.expand(rule.description, labels: labels, value: expected.value)))\n"
                    out += "              runbook_url: \(Self.quote(rules.runbookURL(for: rule.name)))\n"
                }
            }
        }
        return out
    }
}
