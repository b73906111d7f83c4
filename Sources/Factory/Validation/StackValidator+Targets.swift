import Fleet
import Foundation
import PromQL
import PrometheusClient

extension StackValidator {
    /// The exporters a node should be scraped through: DCGM (or the AI Factory agent in its
    /// place) always, vLLM where the inventory lists one.
    static func exporters(of node: NodeRecord) -> [(job: String, name: String)] {
        var list = [(job: "dcgm", name: node.agent != nil ? "agent" : "DCGM")]
        if node.vllmAddress != nil { list.append((job: "vllm", name: "vLLM")) }
        return list
    }

    /// The active target scraping `job` for `node`, if any.
    static func target(_ targets: [ActiveTarget], node: String, job: String) -> ActiveTarget? {
        targets.first { $0.labels[ScopeLabel.node] == node && $0.labels["job"] == job }
    }

    /// Whether `node`'s `job` target is up and fresh: the checks that read its series say "see
    /// the target" instead of repeating a scrape failure as a missing series.
    static func scrapedWell(_ targets: [ActiveTarget]?, node: String, job: String, at: Date) -> Bool {
        guard let targets else { return true }
        guard let target = target(targets, node: node, job: job), target.health == .up else { return false }
        guard let last = target.lastScrape else { return false }
        return at.timeIntervalSince(last) <= 2 * (target.scrapeInterval ?? defaultScrapeInterval) + 1
    }

    /// Per node and exporter: a target in service discovery, `up`, scraped within two intervals.
    func targetChecks(_ context: Context) -> [ValidationCheck] {
        guard let targets = context.targets else {
            return context.targets == nil && probe != nil && !context.nodes.isEmpty
                ? [Self.unreadable("targets", .targets, "Scrape targets", context.targetsError ?? PrometheusClientError.cancelled)] : []
        }
        var checks: [ValidationCheck] = []
        for node in context.nodes {
            for exporter in Self.exporters(of: node) {
                let id = "targets.\(node.name).\(exporter.job)"
                let title = "\(exporter.name) exporter on \(node.name) scraped"
                guard let target = Self.target(targets, node: node.name, job: exporter.job) else {
                    checks.append(ValidationCheck(
                        id: id, group: .targets, title: title, status: .fail,
                        seen: "Prometheus has no \(exporter.job) target for \(node.name) (\(targets.count) active targets)",
                        hint: "Prometheus finds nodes through AI Factory's service discovery: its \(exporter.job) job needs http_sd_configs at /sd/prometheus?exporter=\(exporter.job) with the SD token (aifactory export prometheus writes it); a new node appears within one refresh.",
                        node: node.name))
                    continue
                }
                let interval = target.scrapeInterval ?? Self.defaultScrapeInterval
                let age = target.lastScrape.map { context.at.timeIntervalSince($0) }
                if target.health != .up {
                    let error = target.lastError.map { "\"\($0.prefix(300))\"" } ?? "no error given"
                    checks.append(ValidationCheck(
                        id: id, group: .targets, title: title, status: .fail,
                        seen: "\(target.health.rawValue): the last scrape of \(target.scrapeURL) said \(error)",
                        hint: "Check that the exporter runs on \(node.name) and listens at that address, and that Prometheus can reach it (firewall, TLS); the page shows this node's cards as stale meanwhile.",
                        node: node.name))
                } else if let age, age > 2 * interval + 1 {
                    checks.append(ValidationCheck(
                        id: id, group: .targets, title: title, status: .fail,
                        seen: "stale: last scraped \(Self.age(age)) ago, every \(Self.age(interval)) expected",
                        hint: "Prometheus is not keeping up with this target: a scrape that hangs until scrape_timeout, or an overloaded Prometheus (check prometheus_target_interval_length_seconds).",
                        node: node.name))
                } else if age == nil {
                    checks.append(ValidationCheck(
                        id: id, group: .targets, title: title, status: .warn, seen: "discovered but not scraped yet",
                        hint: "Wait one scrape interval (\(Self.age(interval))) and validate again.", node: node.name))
                } else {
                    checks.append(ValidationCheck(
                        id: id, group: .targets, title: title, status: .pass,
                        seen: "up; last scraped \(Self.age(age ?? 0)) ago, every \(Self.age(interval))", node: node.name))
                }
            }
        }
        return checks
    }
}
