import Fleet
import Foundation
import PromQL
import PrometheusClient
import Telemetry

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
    static func scrapedWell(_ targets: [ActiveTarget]?, node: String, job: String, at: Date, fromUp: Bool = false) -> Bool {
        guard let targets else { return true }
        guard let target = target(targets, node: node, job: job), target.health == .up else { return false }
        guard let last = target.lastScrape else { return false }
        return at.timeIntervalSince(last) <= staleAfter(target.scrapeInterval ?? defaultScrapeInterval, fromUp: fromUp)
    }

    /// Seconds after which a target's last scrape is stale: two intervals, and where the verdict
    /// comes from a long-term store's `up` series, the delay such stores hold back recent
    /// samples by (VictoriaMetrics' `-search.latencyOffset` is 30 s by default).
    static func staleAfter(_ interval: Double, fromUp: Bool) -> Double {
        2 * interval + 1 + (fromUp ? longTermStoreDelay : 0)
    }

    /// See ``staleAfter(_:fromUp:)``.
    static let longTermStoreDelay: Double = 30

    /// The scrape targets as the `up` series in the metrics backend record them, for a backend
    /// with no targets API of its own (a long-term store fed by remote_write): one target per
    /// `up` series of the dcgm and vllm jobs, up when its last sample is 1, last scraped at that
    /// sample's time, its interval estimated from its samples of the last minute (of the last
    /// five where a minute holds fewer than two: a slow scrape). Scrape
    /// errors are not stored anywhere but the scraping Prometheus, so none is given.
    static func targetsFromUpSeries(_ metrics: any MetricsBackend, _ scope: QueryScope, at: Date) async throws -> [ActiveTarget] {
        let selector = #"up{job=~"dcgm|vllm"}"#
        async let values = scope.samples(metrics, selector, at: at)
        async let times = scope.samples(metrics, "timestamp(\(selector))", at: at)
        async let minute = scope.samples(metrics, "count_over_time(\(selector)[1m])", at: at)
        async let fiveMinutes = scope.samples(metrics, "count_over_time(\(selector)[5m])", at: at)
        func key(_ labels: [String: String]) -> [String: String] { labels.filter { $0.key != metricNameLabel } }
        func byLabels(_ samples: [VectorSample]) -> [[String: String]: Double] {
            Dictionary(samples.map { (key($0.labels), $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        let last = byLabels(try await times)
        let perMinute = byLabels(try await minute)
        let perFive = byLabels(try await fiveMinutes)
        return try await values.map { sample in
            let labels = key(sample.labels)
            let interval = perMinute[labels].flatMap { $0 >= 2 ? 60 / $0 : nil } ?? perFive[labels].flatMap { $0 >= 2 ? 300 / $0 : nil }
            return ActiveTarget(
                labels: labels, scrapePool: labels["job"] ?? "", scrapeURL: labels["instance"] ?? "",
                health: sample.value == 1 ? .up : .down, lastScrape: last[labels].map(Date.init(timeIntervalSince1970:)),
                scrapeInterval: interval)
        }
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
                let source = context.targetsFromUp ? " (from the up series in the metrics backend, which lists no scrape targets of its own)" : ""
                guard let target = Self.target(targets, node: node.name, job: exporter.job) else {
                    checks.append(ValidationCheck(
                        id: id, group: .targets, title: title, status: .fail,
                        seen: context.targetsFromUp
                            ? "the metrics backend holds no up series of the \(exporter.job) job for \(node.name)\(source)"
                            : "Prometheus has no \(exporter.job) target for \(node.name) (\(targets.count) active targets)",
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
                        seen: context.targetsFromUp
                            ? "down: up is 0 for \(target.scrapeURL)\(source); the scraping Prometheus's targets page gives the error"
                            : "\(target.health.rawValue): the last scrape of \(target.scrapeURL) said \(error)",
                        hint: "Check that the exporter runs on \(node.name) and listens at that address, and that Prometheus can reach it (firewall, TLS); the page shows this node's cards as stale meanwhile.",
                        node: node.name))
                } else if let age, age > Self.staleAfter(interval, fromUp: context.targetsFromUp) {
                    checks.append(ValidationCheck(
                        id: id, group: .targets, title: title, status: .fail,
                        seen: "stale: last scraped \(Self.age(age)) ago, every \(Self.age(interval)) expected\(source)",
                        hint: "Prometheus is not keeping up with this target: a scrape that hangs until scrape_timeout, or an overloaded Prometheus (check prometheus_target_interval_length_seconds).",
                        node: node.name))
                } else if age == nil {
                    checks.append(ValidationCheck(
                        id: id, group: .targets, title: title, status: .warn, seen: "discovered but not scraped yet",
                        hint: "Wait one scrape interval (\(Self.age(interval))) and validate again.", node: node.name))
                } else {
                    checks.append(ValidationCheck(
                        id: id, group: .targets, title: title, status: .pass,
                        seen: "up; last scraped \(Self.age(age ?? 0)) ago, every \(Self.age(interval))\(source)", node: node.name))
                }
            }
        }
        return checks
    }
}
