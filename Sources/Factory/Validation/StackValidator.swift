public import Fleet
public import Foundation
import PromQL
public import PrometheusClient
public import Store
public import Telemetry

/// "Validate observability stack": a read-only self-check of the whole metrics pipeline for the
/// caller's nodes (a tenant admin) or the fleet (an operator), each answer with what was seen and
/// what to change (docs/VALIDATE.md).
///
/// The worst observability failure is silence: a field never emitted reads as nothing, a renamed
/// metric leaves a rule that can never fire, a stale scrape looks calm. Each check here looks for
/// one such silence. Groups run concurrently; each query goes through the caller's scope, like
/// every other read of the read model.
public struct StackValidator: Sendable {
    public let store: any Store
    public let metrics: (any MetricsBackend)?
    public let alertSource: (any AlertSource)?
    public let probe: (any StackProbe)?
    public let alertmanager: (any AlertmanagerProbe)?
    public let eventRecorder: LoopHeartbeat?
    public let now: @Sendable () -> Date

    /// History the page needs: the 7 d trend and the 30 d reliability panel.
    static let neededRetention: Double = 30 * 86_400
    /// Assumed scrape interval where the backend does not report one (Prometheus' default is 1 m;
    /// AI Factory's generated configuration uses 15 s).
    static let defaultScrapeInterval: Double = 15

    public init(
        store: any Store, metrics: (any MetricsBackend)?, alertSource: (any AlertSource)?, probe: (any StackProbe)?,
        alertmanager: (any AlertmanagerProbe)?, eventRecorder: LoopHeartbeat?, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.metrics = metrics
        self.alertSource = alertSource
        self.probe = probe
        self.alertmanager = alertmanager
        self.eventRecorder = eventRecorder
        self.now = now
    }

    /// Runs every check for `caller`: tenant admins for their tenant's nodes, operators for the
    /// fleet. Members are refused (`FactoryError.forbidden`): the answers name infrastructure.
    public func run(for caller: Caller) async throws -> ValidationReport {
        guard caller.isAdmin else { throw FactoryError.forbidden("only tenant admins and site operators validate the stack") }
        let started = ContinuousClock.now
        let all = try await store.nodes()
        let nodes: [NodeRecord]
        let scope: QueryScope?
        if let op = caller.operator {
            nodes = all
            scope = .fleet(op.fleetScope())
        } else if let tenant = caller.tenant {
            nodes = all.filter(tenant.holds)
            scope = .tenant(try tenant.scope())
        } else {
            throw FactoryError.forbidden("no tenant")
        }
        // The targets are read once: the target checks judge them, the series checks use them to
        // tell "the exporter is down" from "the exporter does not send this series".
        var activeTargets: [ActiveTarget]?
        var targetsError: (any Error)?
        var targetsFromUp = false
        let at = now()
        if let probe, let metrics {
            do { activeTargets = try await probe.targets() } catch { targetsError = error }
            // A long-term store (VictoriaMetrics, Thanos, Mimir) scrapes nothing and lists no
            // targets; the scraping Prometheus's `up` series it holds say the same thing.
            if activeTargets?.isEmpty == true, !nodes.isEmpty, let scope,
               let derived = try? await Self.targetsFromUpSeries(metrics, scope, at: at), !derived.isEmpty {
                activeTargets = derived
                targetsFromUp = true
            }
        }
        let context = Context(
            caller: caller, nodes: nodes.sorted { $0.name < $1.name }, scope: scope, at: at, targets: activeTargets, targetsError: targetsError,
            targetsFromUp: targetsFromUp)
        async let backend = backendChecks()
        async let targets = targetChecks(context)
        async let coverage = coverageChecks(context)
        async let tenancy = tenancyChecks(context)
        async let vllm = vllmChecks(context)
        async let rules = ruleChecks(context)
        async let alerting = alertingChecks()
        async let loops = loopChecks(context)
        let checks = await backend + targets + coverage + tenancy + vllm + rules + alerting + loops
        let elapsed = ContinuousClock.now - started
        let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        return ValidationReport(
            scope: caller.operator != nil ? "fleet" : "tenant", tenant: caller.operator != nil ? nil : caller.tenant?.name,
            nodes: context.nodes.map(\.name), durationMs: milliseconds, checks: checks)
    }

    /// What every group needs to know about the run.
    struct Context: Sendable {
        let caller: Caller
        let nodes: [NodeRecord]
        let scope: QueryScope?
        let at: Date
        /// `nil` when they could not be read (`targetsError`) or there is no backend.
        let targets: [ActiveTarget]?
        let targetsError: (any Error)?
        /// The targets were read from the `up` series (``targetsFromUpSeries``), not a targets API.
        var targetsFromUp = false
    }

    /// The caller's query scope: a tenant's (every selector confined to its label) or the fleet.
    enum QueryScope: Sendable {
        case tenant(TenantScope)
        case fleet(FleetScope)

        func samples(_ backend: any MetricsBackend, _ query: String, at: Date) async throws -> [VectorSample] {
            switch self {
            case .tenant(let scope): try await backend.samples(try scope.rewrite(query), at: at)
            case .fleet(let scope): try await backend.samples(try scope.rewrite(query), at: at)
            }
        }
    }

    /// A check that could not ask its question: the backend's own words are not shown (they can
    /// name internal addresses); the hint says what to look at.
    static func unreadable(_ id: String, _ group: ValidationCheck.Group, _ title: String, node: String? = nil, _ error: any Error) -> ValidationCheck {
        let why = (error as? PrometheusClientError)?.userMessage ?? "the query failed"
        return ValidationCheck(
            id: id, group: group, title: title, status: .fail, seen: "could not be checked: \(why)",
            hint: "Check that the metrics backend is up and answers queries (the \"Metrics backend\" checks), then run the validation again.",
            node: node)
    }

    /// "0–3, 5" for GPU indexes.
    static func list(_ numbers: [Int]) -> String {
        let sorted = Array(Set(numbers)).sorted()
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end > index ? "\(sorted[index])–\(sorted[end])" : "\(sorted[index])")
            index = end + 1
        }
        return parts.joined(separator: ", ")
    }

    static func age(_ seconds: Double) -> String {
        seconds < 120 ? "\(Int(seconds.rounded())) s" : seconds < 7200 ? "\(Int((seconds / 60).rounded())) min" : "\(Int((seconds / 3600).rounded())) h"
    }
}
