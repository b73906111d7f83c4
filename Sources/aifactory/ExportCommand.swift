import ArgumentParser
import Export
import Foundation
import Simulator

/// `aifactory export rules|prometheusrule|alertmanager|grafana`: the companion artefacts for teams
/// that run their own Prometheus, Alertmanager, Prometheus Operator or Grafana.
///
/// Each writes to stdout, or to `--out FILE`. The committed copies under `deploy/prometheus/` are
/// these commands' output (a golden-file test in `Tests/ExportTests` keeps them equal). Exit codes:
/// 0 success, 1 an input file cannot be read or is malformed (one line on stderr), 64 bad usage.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export alert rules, a PrometheusRule, an Alertmanager config or a Grafana dashboard.",
        subcommands: [Rules.self, PrometheusRuleCommand.self, Alertmanager.self, Grafana.self]
    )

    /// Options shared by the two rule exports.
    struct RuleOptions: ParsableArguments {
        @Option(help: "Fleet file (deploy/demo/fleet.yaml format): adds a GPUMetricsAbsent rule per node.")
        var fleet: String?

        @Flag(help: "Use the embedded demo fleet for the per-node rules (what deploy/prometheus/ holds).")
        var demoFleet = false

        @Option(help: "Multiply every for: and range window (0.1 for fast tests; 1 = production).")
        var durationScale: Double = 1

        @Option(help: "Prefix of runbook_url annotations (a repository URL ending in /docs/runbooks/).")
        var runbookBase: String = AlertRuleOptions().runbookBaseURL

        func validate() throws {
            guard durationScale > 0, durationScale.isFinite else { throw ValidationError("--duration-scale must be positive") }
            if fleet != nil && demoFleet { throw ValidationError("give --fleet FILE or --demo-fleet, not both") }
        }

        func ruleSet() throws -> AlertRuleSet {
            let options = AlertRuleOptions(durationScale: durationScale, runbookBaseURL: runbookBase)
            var targets: [AlertTarget] = []
            if let fleet {
                do {
                    targets = AlertTarget.targets(of: try FleetFile.load(path: fleet).spec)
                } catch {
                    CLIErrors.printError("\(error)")
                    throw ExitCode.failure
                }
            } else if demoFleet {
                targets = AlertTarget.targets(of: FleetFile.demo.spec)
            }
            return AlertRuleSet.standard(options, targets: targets)
        }
    }

    /// Where the output goes.
    struct Output: ParsableArguments {
        @Option(help: "Write to FILE instead of stdout.")
        var out: String?

        func write(_ text: String) throws {
            guard let out else {
                FileHandle.standardOutput.write(Data(text.utf8))
                return
            }
            do {
                try text.write(to: URL(fileURLWithPath: out), atomically: true, encoding: .utf8)
            } catch {
                CLIErrors.printError("cannot write \(out): \(error.localizedDescription)")
                throw ExitCode.failure
            }
        }
    }

    static func read(_ path: String) throws -> String {
        do {
            return try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
        } catch {
            CLIErrors.printError("cannot read \(path): \(error.localizedDescription)")
            throw ExitCode.failure
        }
    }

    struct Rules: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rules", abstract: "Prometheus rule file (rule_files:).")
        @OptionGroup var rules: RuleOptions
        @OptionGroup var output: Output

        func run() async throws {
            try output.write(try rules.ruleSet().renderRuleFile())
        }
    }

    struct PrometheusRuleCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prometheusrule", abstract: "The same rules as a monitoring.coreos.com/v1 PrometheusRule.")
        @OptionGroup var rules: RuleOptions
        @Option(help: "metadata.name") var name = "aifactory"
        @Option(help: "metadata.namespace") var namespace = "monitoring"
        @OptionGroup var output: Output

        func run() async throws {
            try output.write(try rules.ruleSet().renderPrometheusRule(name: name, namespace: namespace))
        }
    }

    struct Alertmanager: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "alertmanager", abstract: "Alertmanager config: a route per tenant, operator-only alerts to the operator.")
        @Option(help: "YAML file: tenant → webhook URL / slack {channel, api_url} / pagerduty {routing_key}.")
        var tenants: String?
        @Option(help: "Webhook URL of the operator receiver (operator-only alerts, Watchdog, unrouted alerts).")
        var operatorWebhook: String
        @OptionGroup var output: Output

        func run() async throws {
            var receivers: [String: TenantReceivers] = [:]
            if let tenants {
                do {
                    receivers = try AlertmanagerConfig.parseTenants(yaml: try ExportCommand.read(tenants))
                } catch let error as ExportError {
                    CLIErrors.printError("\(tenants): \(error)")
                    throw ExitCode.failure
                }
            }
            try output.write(AlertmanagerConfig(tenants: receivers, operatorWebhookURL: operatorWebhook).render())
        }
    }

    struct Grafana: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grafana", abstract: "Grafana dashboard JSON: golden signals, tenant usage, pool health, prefix cache, GPU health.")
        @OptionGroup var output: Output

        func run() async throws {
            try output.write(GrafanaDashboard.standard().renderJSON())
        }
    }
}
