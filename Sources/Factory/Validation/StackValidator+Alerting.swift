import Foundation
import PromQL
import PrometheusClient
import Telemetry
import Store

extension StackValidator {
    /// Rules loaded and evaluating without errors, and no alerting rule over a metric that
    /// nothing exports (it could never fire: the silence this check exists for).
    func ruleChecks(_ context: Context) async -> [ValidationCheck] {
        guard let probe, let metrics else { return [] }
        let groups: [PrometheusRuleGroup]
        do {
            groups = try await probe.rules()
        } catch {
            return [Self.unreadable("rules.loaded", .rules, "Alert rules loaded and evaluating", error)]
        }
        let rules = groups.flatMap(\.rules)
        var checks: [ValidationCheck] = []
        let broken = rules.filter { $0.health != "ok" && $0.health != "unknown" }
        if rules.isEmpty {
            checks.append(ValidationCheck(
                id: "rules.loaded", group: .rules, title: "Alert rules loaded and evaluating", status: .fail,
                seen: "the backend evaluates no rules",
                hint: "Load AI Factory's rules (aifactory export rules > rules.yml; rule_files in prometheus.yml), then reload Prometheus."))
        } else if broken.isEmpty {
            let alerting = rules.filter { $0.kind == .alerting }.count
            checks.append(ValidationCheck(
                id: "rules.loaded", group: .rules, title: "Alert rules loaded and evaluating", status: .pass,
                seen: "\(rules.count) rules in \(groups.count) groups (\(alerting) alerting), all evaluating"))
        } else {
            let list = broken.prefix(5).map { "\($0.name): \($0.lastError.map { String($0.prefix(200)) } ?? $0.health)" }
            checks.append(ValidationCheck(
                id: "rules.loaded", group: .rules, title: "Alert rules loaded and evaluating", status: .fail,
                seen: "\(broken.count) rule\(broken.count == 1 ? "" : "s") failing to evaluate: \(list.joined(separator: "; "))",
                hint: "Fix the expressions (promtool check rules) and reload Prometheus: a rule that errors never fires."))
        }

        // Metric names the alerting rules need; recording rules' outputs count as exported.
        let recorded = Set(rules.filter { $0.kind == .recording }.map(\.name))
        var needs: [(rule: String, query: String, metrics: Set<String>)] = []
        for rule in rules where rule.kind == .alerting {
            guard let names = RuleMetrics.names(in: rule.query) else { continue }
            let wanted = names.subtracting(recorded)
            if !wanted.isEmpty { needs.append((rule.name, rule.query, wanted)) }
        }
        let wanted = Set(needs.flatMap(\.metrics))
        guard !wanted.isEmpty else {
            checks.append(ValidationCheck(id: "rules.can-fire", group: .rules, title: "Every alert rule reads a metric something exports",
                                          status: .skip, seen: "no alerting rule reads a metric by name"))
            return checks
        }
        let exported: Set<String>
        do {
            exported = try await MetricPresence.exported(among: wanted, backend: metrics, at: context.at)
        } catch {
            checks.append(Self.unreadable("rules.can-fire", .rules, "Every alert rule reads a metric something exports", error))
            return checks
        }
        let available = exported.union(recorded)
        let dead = needs.compactMap { need -> (rule: String, missing: [String])? in
            let missing = (RuleMetrics.blocking(need.query, exported: available) ?? []).sorted()
            return missing.isEmpty ? nil : (need.rule, missing)
        }
        if dead.isEmpty {
            checks.append(ValidationCheck(
                id: "rules.can-fire", group: .rules, title: "Every alert rule reads a metric something exports", status: .pass,
                seen: "\(needs.count) alerting rules read \(wanted.count) metrics, each exported by a target"))
        } else {
            let list = dead.map { "\($0.rule) reads \($0.missing.joined(separator: ", "))" }
            checks.append(ValidationCheck(
                id: "rules.can-fire", group: .rules, title: "Every alert rule reads a metric something exports", status: .fail,
                seen: "\(dead.count) rule\(dead.count == 1 ? "" : "s") can never fire: \(list.joined(separator: "; ")) — no target exports \(dead.count == 1 && dead[0].missing.count == 1 ? "it" : "them")",
                hint: "A renamed metric (vLLM, DCGM 4.6) or a field the exporter does not collect: enable the metric, or change the rule to the name the exporters use (see the coverage and vLLM checks)."))
        }
        return checks
    }

    /// The alert path end to end: the Watchdog firing in Prometheus, an Alertmanager that runs a
    /// loaded configuration, and the Watchdog present there (so a real alert would page someone).
    func alertingChecks() async -> [ValidationCheck] {
        guard metrics != nil else { return [] }
        var checks: [ValidationCheck] = []
        let watchdogTitle = "Watchdog alert firing in Prometheus"
        if let alertSource {
            do {
                let firing = try await alertSource.alerts().contains { $0.labels["alertname"] == "Watchdog" && $0.state == "firing" }
                checks.append(firing
                    ? ValidationCheck(id: "alerting.watchdog", group: .alerting, title: watchdogTitle, status: .pass, seen: "firing, as it always should")
                    : ValidationCheck(id: "alerting.watchdog", group: .alerting, title: watchdogTitle, status: .fail,
                                      seen: "not firing",
                                      hint: "The Watchdog (vector(1)) always fires while rules evaluate: load AI Factory's rules (aifactory export rules) and check the rule evaluation (rules.loaded)."))
            } catch {
                checks.append(Self.unreadable("alerting.watchdog", .alerting, watchdogTitle, error))
            }
        }
        var senders: [String]?
        if let probe { senders = try? await probe.alertmanagers() }
        let amTitle = "Alertmanager reachable, its configuration loaded"
        guard let alertmanager else {
            let seen = senders.map { $0.isEmpty ? "Prometheus sends alerts to no Alertmanager" : "Prometheus sends alerts to \($0.count) Alertmanager(s), but AI Factory was not told where" } ?? "no Alertmanager configured"
            checks.append(ValidationCheck(
                id: "alerting.alertmanager", group: .alerting, title: amTitle, status: senders?.isEmpty == false ? .warn : .fail, seen: seen,
                hint: senders?.isEmpty == false
                    ? "Start the server with --alertmanager-url so this check can follow the Watchdog there."
                    : "Without an Alertmanager alerts fire in Prometheus and nobody is paged: run one with AI Factory's routing (aifactory export alertmanager) and list it under alerting.alertmanagers in prometheus.yml."))
            return checks
        }
        do {
            let status = try await alertmanager.status()
            if status.configuration.isEmpty {
                checks.append(ValidationCheck(id: "alerting.alertmanager", group: .alerting, title: amTitle, status: .fail,
                                              seen: "answers, but reports no loaded configuration",
                                              hint: "Check its --config.file with amtool check-config and reload it."))
            } else {
                var seen = "answers (version \(status.version ?? "unknown")) with a loaded configuration"
                if let senders, !senders.isEmpty { seen += "; Prometheus sends to \(senders.count) Alertmanager(s)" }
                checks.append(ValidationCheck(id: "alerting.alertmanager", group: .alerting, title: amTitle, status: .pass, seen: seen))
            }
        } catch {
            checks.append(ValidationCheck(
                id: "alerting.alertmanager", group: .alerting, title: amTitle, status: .fail,
                seen: "does not answer: \((error as? PrometheusClientError)?.userMessage ?? "unreachable")",
                hint: "Start Alertmanager (systemctl status prometheus-alertmanager) or fix --alertmanager-url: until then no alert pages anyone."))
            checks.append(ValidationCheck(
                id: "alerting.delivered", group: .alerting, title: "Watchdog delivered to Alertmanager", status: .fail,
                seen: "cannot be checked: Alertmanager does not answer", hint: "Fix the Alertmanager check above first."))
            return checks
        }
        let deliveredTitle = "Watchdog delivered to Alertmanager"
        do {
            let held = try await alertmanager.alerts(named: "Watchdog")
            if held.isEmpty {
                let wired = senders.map { $0.isEmpty ? "Prometheus lists no Alertmanager" : "Prometheus sends to \($0.joined(separator: ", "))" } ?? "Prometheus' alertmanagers are unknown"
                checks.append(ValidationCheck(
                    id: "alerting.delivered", group: .alerting, title: deliveredTitle, status: .fail,
                    seen: "Alertmanager holds no Watchdog alert (\(wired))",
                    hint: "Point Prometheus at this Alertmanager (alerting.alertmanagers in prometheus.yml) and check prometheus_notifications_errors_total."))
            } else {
                checks.append(ValidationCheck(id: "alerting.delivered", group: .alerting, title: deliveredTitle, status: .pass,
                                              seen: "present in Alertmanager: the path from rule to receiver is live"))
            }
        } catch {
            checks.append(Self.unreadable("alerting.delivered", .alerting, deliveredTitle, error))
        }
        return checks
    }

    /// The product's own background work: the event recorder's last pass and the usage metering
    /// series' freshness.
    func loopChecks(_ context: Context) async -> [ValidationCheck] {
        var checks: [ValidationCheck] = []
        let recorderTitle = "Event recorder sweeping (XID, ECC, thermal events)"
        if let eventRecorder {
            let interval = Double(eventRecorder.interval.components.seconds)
            // Replicas: the recorder runs on the one holding its lease; its last pass is stored.
            var elsewhere: String?
            var lastBeat = eventRecorder.lastBeat.map { (at: $0.at, error: $0.error) }
            if store.cluster.isShared, let stored = try? await store.loopBeat(name: EventRecorder.loopName),
               lastBeat == nil || stored.at > lastBeat!.at {
                lastBeat = (stored.at, stored.error)
                elsewhere = stored.holder
            }
            let on = elsewhere.map { " on \($0)" } ?? ""
            if let beat = lastBeat {
                let age = context.at.timeIntervalSince(beat.at)
                if age > 3 * interval + 5 {
                    checks.append(ValidationCheck(id: "loops.events", group: .loops, title: recorderTitle, status: .fail,
                                                  seen: "last pass\(on) \(Self.age(age)) ago (every \(Self.age(interval)) expected)",
                                                  hint: "The recorder has stopped: events stop reaching the timeline. Check the server's log for 'event poll' errors and restart it."))
                } else if let error = beat.error {
                    checks.append(ValidationCheck(id: "loops.events", group: .loops, title: recorderTitle, status: .warn,
                                                  seen: "last pass\(on) \(Self.age(age)) ago failed: \(error.prefix(200))",
                                                  hint: "Usually the metrics backend or the store was briefly unreachable; it retries every \(Self.age(interval))."))
                } else {
                    checks.append(ValidationCheck(id: "loops.events", group: .loops, title: recorderTitle, status: .pass,
                                                  seen: "last pass\(on) \(Self.age(age)) ago, every \(Self.age(interval))"))
                }
            } else {
                checks.append(ValidationCheck(id: "loops.events", group: .loops, title: recorderTitle, status: .warn,
                                              seen: "has not completed a pass yet",
                                              hint: "It runs every \(Self.age(interval)) after start; validate again shortly."))
            }
        } else if metrics != nil {
            checks.append(ValidationCheck(id: "loops.events", group: .loops, title: recorderTitle, status: .fail,
                                          seen: "no event recorder runs in this server",
                                          hint: "serve runs it when --prometheus-url is given; check that this replica was started with it."))
        }
        guard let metrics, let scope = context.scope else { return checks }
        let usageTitle = "Usage metering series fresh"
        do {
            let samples = try await scope.samples(metrics, "max(timestamp(aifactory_usage_requests_total))", at: context.at)
            guard let newest = samples.first?.value, newest > 0 else {
                checks.append(ValidationCheck(
                    id: "loops.usage", group: .loops, title: usageTitle, status: context.caller.operator != nil ? .warn : .skip,
                    seen: context.caller.operator != nil ? "no aifactory_usage_* series at all" : "no metered usage for this tenant",
                    hint: context.caller.operator != nil ? "The consumer view and quota bars read aifactory_usage_*: scrape the metering gateway (job metering)." : nil))
                return checks
            }
            let interval = context.targets?.first { $0.labels["job"] == "metering" }?.scrapeInterval ?? Self.defaultScrapeInterval
            let age = context.at.timeIntervalSince1970 - newest
            checks.append(age > 2 * interval + 1
                ? ValidationCheck(id: "loops.usage", group: .loops, title: usageTitle, status: .fail,
                                  seen: "newest sample \(Self.age(age)) old (every \(Self.age(interval)) expected)",
                                  hint: "The metering target has stopped answering: consumers see a frozen usage view and quota bar. Check the metering job's target.")
                : ValidationCheck(id: "loops.usage", group: .loops, title: usageTitle, status: .pass,
                                  seen: "newest sample \(Self.age(max(0, age))) old"))
        } catch {
            checks.append(Self.unreadable("loops.usage", .loops, usageTitle, error))
        }
        return checks
    }
}

/// Which metric names exist anywhere in the backend — a fleet read whose answer is reduced to
/// names before it leaves this type, so any caller may ask it: rule expressions are the same for
/// every tenant, and "something exports X" says nothing about whose node does.
enum MetricPresence {
    static func exported(among names: Set<String>, backend: any MetricsBackend, at: Date) async throws -> Set<String> {
        let regex = names.sorted().map { $0.replacingOccurrences(of: ".", with: "\\\\.") }.joined(separator: "|")
        let query = try FleetScope().rewrite("group by (__name__) ({__name__=~\"\(regex)\"})")
        let samples = try await backend.samples(query, at: at)
        return Set(samples.compactMap { $0.labels[metricNameLabel] })
    }
}
