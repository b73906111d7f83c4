import Foundation
import PromQL
import PrometheusClient

/// Confines the answers no selector can confine — active alerts, rule groups, metric metadata —
/// to what one tenant may see. Pure functions over Prometheus's JSON.
///
/// - Alerts: those whose `tenant` label is the caller's tenant, the rule the alert view applies
///   (`AlertVisibility`); alerts without a tenant label (`Watchdog`, pipeline checks) are
///   operator-only.
/// - Rules: a rule whose own (static) `tenant` label names another tenant is left out — the
///   per-node inventory rules carry the node's holder this way, and their text names the node.
///   Every other rule is fleet-wide text the operator wrote (it names no tenant, node or value)
///   and is kept, but an alerting rule keeps only the caller's alerts, and its `state` is
///   recomputed from them (firing, else pending, else inactive), so another tenant's firing
///   alert cannot show through it. A rule's `lastError` (which can quote any tenant's label
///   sets) reads as a fixed sentence. A group left without rules is left out.
/// - Metadata: only the metric names the tenant has series of.
enum PrometheusAPIFilter {
    /// `/api/v1/alerts` narrowed to `tenant`'s alerts.
    static func alerts(_ body: Data, tenant: String) throws(PrometheusClientError) -> Data {
        var envelope = try object(body)
        guard var data = envelope["data"] as? [String: Any], let alerts = data["alerts"] as? [[String: Any]] else {
            throw .malformedResponse("alerts: data.alerts is not a list of objects")
        }
        data["alerts"] = alerts.filter { carries($0, tenant: tenant) }
        envelope["data"] = data
        return try encoded(envelope)
    }

    /// `/api/v1/rules` narrowed to what `tenant` may see (`nil`: an operator, every rule), with
    /// the alerts of every alerting rule left out when `excludeAlerts`.
    static func rules(_ body: Data, tenant: String?, excludeAlerts: Bool) throws(PrometheusClientError) -> Data {
        if tenant == nil && !excludeAlerts { return body }
        var envelope = try object(body)
        guard var data = envelope["data"] as? [String: Any], let groups = data["groups"] as? [[String: Any]] else {
            throw .malformedResponse("rules: data.groups is not a list of objects")
        }
        var kept: [[String: Any]] = []
        for var group in groups {
            guard let rules = group["rules"] as? [[String: Any]] else {
                throw .malformedResponse("rules: a group's rules are not a list of objects")
            }
            var visible: [[String: Any]] = []
            for var rule in rules {
                if let tenant {
                    let own = (rule["labels"] as? [String: Any])?[ScopeLabel.tenant] as? String
                    if let own, !own.isEmpty, own != tenant { continue }
                    // An evaluation error can quote the label sets of any tenant's series
                    // ("found duplicate series for the match group {node=…}").
                    if let error = rule["lastError"] as? String, !error.isEmpty { rule["lastError"] = Self.redactedError }
                    if let alerts = rule["alerts"] as? [[String: Any]] {
                        let mine = alerts.filter { carries($0, tenant: tenant) }
                        rule["alerts"] = mine
                        if rule["state"] != nil { rule["state"] = state(of: mine) }
                    }
                }
                if excludeAlerts, rule["alerts"] != nil { rule["alerts"] = [Any]() }
                visible.append(rule)
            }
            if visible.isEmpty && !rules.isEmpty { continue }
            group["rules"] = visible
            kept.append(group)
        }
        data["groups"] = kept
        envelope["data"] = data
        return try encoded(envelope)
    }

    /// `/api/v1/metadata` narrowed to the metric names in `names` (`nil`: every name), at most
    /// `limit` metrics (in name order) when given.
    static func metadata(_ body: Data, names: Set<String>?, limit: Int?) throws(PrometheusClientError) -> Data {
        if names == nil && limit == nil { return body }
        var envelope = try object(body)
        guard let data = envelope["data"] as? [String: Any] else {
            throw .malformedResponse("metadata: data is not an object")
        }
        var keys = data.keys.filter { names?.contains($0) ?? true }.sorted()
        if let limit, limit >= 0, keys.count > limit { keys = Array(keys.prefix(limit)) }
        envelope["data"] = Dictionary(uniqueKeysWithValues: keys.compactMap { key in data[key].map { (key, $0) } })
        return try encoded(envelope)
    }

    /// The `data` list of strings of a label-values answer.
    static func strings(_ body: Data) throws(PrometheusClientError) -> [String] {
        guard let data = try object(body)["data"] as? [String] else {
            throw .malformedResponse("label values: data is not a list of strings")
        }
        return data
    }

    /// What a tenant reads in place of a rule's evaluation error.
    static let redactedError = "the rule's last evaluation failed; the site operator sees why"

    /// An alerting rule's state as its remaining alerts make it.
    static func state(of alerts: [[String: Any]]) -> String {
        let states = Set(alerts.compactMap { $0["state"] as? String })
        if states.contains("firing") { return "firing" }
        if states.contains("pending") { return "pending" }
        return "inactive"
    }

    static func carries(_ alert: [String: Any], tenant: String) -> Bool {
        guard let value = (alert["labels"] as? [String: Any])?[ScopeLabel.tenant] as? String else { return false }
        return !value.isEmpty && value == tenant
    }

    static func object(_ body: Data) throws(PrometheusClientError) -> [String: Any] {
        guard let parsed = try? JSONSerialization.jsonObject(with: body), let object = parsed as? [String: Any] else {
            throw .malformedResponse("not a JSON object")
        }
        return object
    }

    static func encoded(_ object: [String: Any]) throws(PrometheusClientError) -> Data {
        do {
            return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        } catch {
            throw .malformedResponse("the filtered answer could not be encoded")
        }
    }
}
