import Foundation
import PromQL
public import PrometheusClient

extension ReadModel {
    /// One call of the tenant-scoped Prometheus API (`/prometheus/api/v1/…`), answered with
    /// Prometheus's own JSON.
    ///
    /// - A tenant's users read through their tenant's `TenantScope`: `query` and every `match[]`
    ///   are rewritten by the enforcer (a selector that cannot match the tenant rejects the call
    ///   with ``PrometheusAPIError/Kind/outsideScope``), and `labels` / `label/<name>/values`
    ///   without `match[]` get the tenant's own selector. Alerts, rules and metadata, which no
    ///   selector confines, are filtered (``PrometheusAPIFilter``).
    /// - A site operator reads the whole fleet (`FleetScope`): queries are parsed and printed
    ///   canonically, nothing is narrowed or filtered.
    /// - Only the parameters ``PrometheusAPIPolicy`` lists travel on. Prometheus's answer — its
    ///   data, or its own `bad_data` / `execution` refusal — comes back byte for byte where
    ///   nothing had to be filtered out of it.
    public func prometheusAPI(_ caller: Caller, _ request: PrometheusAPIRequest) async throws -> RelayedAnswer {
        guard let relay else { throw PrometheusAPIError(.notConfigured, "no Prometheus is configured for this server (serve --prometheus-url)") }
        let scope = try PrometheusAPIScope(caller)
        let forwarded = PrometheusAPIPolicy.forwarded(request)
        let selectorRead: SelectorRead
        switch request.endpoint {
        case .query: selectorRead = .query
        case .queryRange: selectorRead = .queryRange
        case .queryExemplars: selectorRead = .queryExemplars
        case .series: selectorRead = .series
        case .labels: selectorRead = .labels
        case .labelValues(let name): selectorRead = .labelValues(name)
        case .metadata:
            return try await metadata(scope, request, forwarded, relay: relay)
        case .rules:
            guard request.all("match[]").isEmpty else {
                throw PrometheusAPIError(.badData, #"invalid parameter "match[]": rules cannot be selected by labels here; use rule_name[], rule_group[], file[] or type"#)
            }
            let exclude = try Self.bool(request, "exclude_alerts")
            let answer = try await relay.relay(.rules, parameters: forwarded)
            guard answer.status == 200 else { return answer }
            return RelayedAnswer(status: 200, body: try PrometheusAPIFilter.rules(answer.body, tenant: scope.tenant, excludeAlerts: exclude))
        case .alerts:
            let answer = try await relay.relay(.alerts, parameters: forwarded)
            guard answer.status == 200, let tenant = scope.tenant else { return answer }
            return RelayedAnswer(status: 200, body: try PrometheusAPIFilter.alerts(answer.body, tenant: tenant))
        }
        switch scope {
        case .tenant(let tenantScope):
            let rewriter = PrometheusAPIRewriter<ScopedQuery>(rewrite: tenantScope.rewrite)
            let read = try selectorRead.read(request, rewriter) { () throws(PrometheusAPIError) in
                try rewriter.selectors([PrometheusAPIScope.everySeries])
            }
            return try await relay.relay(read, parameters: forwarded)
        case .fleet(let fleetScope):
            let rewriter = PrometheusAPIRewriter<FleetQuery>(rewrite: fleetScope.rewrite)
            let read = try selectorRead.read(request, rewriter) { () throws(PrometheusAPIError) in [] }
            return try await relay.relay(read, parameters: forwarded)
        }
    }

    /// `metadata`: a tenant sees the metadata of the metric names it has series of.
    private func metadata(
        _ scope: PrometheusAPIScope, _ request: PrometheusAPIRequest, _ forwarded: [(String, String)], relay: any PrometheusAPIRelay
    ) async throws -> RelayedAnswer {
        var limit: Int?
        if let text = request.first("limit") {
            guard let value = Int(text) else {
                throw PrometheusAPIError(.badData, #"invalid parameter "limit": "# + "\(PrometheusAPIRewriter<String>.quoted(text)) is not a whole number")
            }
            limit = value
        }
        let answer = try await relay.relay(.metadata, parameters: forwarded)
        guard answer.status == 200 else { return answer }
        var names: Set<String>?
        if case .tenant(let tenantScope) = scope {
            let every = try PrometheusAPIRewriter<ScopedQuery>(rewrite: tenantScope.rewrite).selectors([PrometheusAPIScope.everySeries])
            let values = try await relay.relay(.labelValues(name: "__name__", every), parameters: [])
            guard values.status == 200 else { return values }
            names = Set(try PrometheusAPIFilter.strings(values.body))
        }
        return RelayedAnswer(status: 200, body: try PrometheusAPIFilter.metadata(answer.body, names: names, limit: limit.flatMap { $0 > 0 ? $0 : nil }))
    }

    /// A boolean parameter as Go's `strconv.ParseBool` reads it; absent is false.
    static func bool(_ request: PrometheusAPIRequest, _ name: String) throws(PrometheusAPIError) -> Bool {
        guard let text = request.first(name) else { return false }
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": return true
        case "0", "f", "F", "false", "FALSE", "False", "": return false
        default: throw PrometheusAPIError(.badData, "invalid parameter \"\(name)\": \(PrometheusAPIRewriter<String>.quoted(text)) is not true or false")
        }
    }
}

/// The endpoints whose selectors are rewritten.
private enum SelectorRead {
    case query, queryRange, queryExemplars, series, labels
    case labelValues(String)

    /// The relayed read with every selector rewritten; `every` stands in for a missing `match[]`
    /// on labels and label values (the tenant's own selector; nothing for the fleet), made only
    /// when needed.
    func read<Query>(
        _ request: PrometheusAPIRequest, _ rewriter: PrometheusAPIRewriter<Query>, every: () throws(PrometheusAPIError) -> [Query]
    ) throws(PrometheusAPIError) -> RelayRead<Query> {
        switch self {
        case .query: return .query(try rewriter.query(request.first("query")))
        case .queryRange: return .queryRange(try rewriter.query(request.first("query")))
        case .queryExemplars: return .queryExemplars(try rewriter.query(request.first("query")))
        case .series:
            let match = try rewriter.selectors(request.all("match[]"))
            guard !match.isEmpty else { throw PrometheusAPIError(.badData, "no match[] parameter provided") }
            return .series(match)
        case .labels:
            let match = try rewriter.selectors(request.all("match[]"))
            return .labels(match.isEmpty ? try every() : match)
        case .labelValues(let name):
            let match = try rewriter.selectors(request.all("match[]"))
            return .labelValues(name: name, match.isEmpty ? try every() : match)
        }
    }
}
