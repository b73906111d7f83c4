/// The product's alerting rules as data, and their renderings.
///
/// Build it with ``standard(_:)`` (rules that need no inventory) or ``standard(_:nodes:)`` (adds one
/// `absent_over_time` rule per node, which is the only way an alert can name a node that stopped
/// reporting altogether). Render it with ``renderRuleFile()`` for Prometheus or
/// ``renderPrometheusRule(name:namespace:)`` for the Prometheus Operator.
///
/// Invariants, checked by `Tests/ExportTests`: every expression parses with `PromQL.Parser`; every
/// alert carries `severity`, and `tenant` and `node` unless it is operator-only (``AlertRule/operatorOnly``);
/// every alert has `summary`, `description` and `runbook_url`, and a runbook in `docs/runbooks/`.
public struct AlertRuleSet: Sendable, Hashable {
    /// Groups in evaluation order.
    public var groups: [AlertRuleGroup]
    /// The options the set was built with (runbook base URL, duration scale).
    public var options: AlertRuleOptions

    public init(groups: [AlertRuleGroup], options: AlertRuleOptions = .init()) {
        self.groups = groups
        self.options = options
    }

    /// Every rule of every group, in order.
    public var rules: [AlertRule] { groups.flatMap(\.rules) }

    /// Alert names in order of first appearance, each once (several rules may share a name).
    public var alertNames: [String] {
        var seen: Set<String> = []
        return rules.map(\.name).filter { seen.insert($0).inserted }
    }

    /// The `runbook_url` annotation of alert `name`.
    public func runbookURL(for name: String) -> String {
        options.runbookBaseURL + name + ".md"
    }

    /// The standard rules without per-node inventory rules.
    ///
    /// A node whose exporter answers without GPU series is still caught (through `up`); a node that
    /// vanished from service discovery is caught only by ``standard(_:nodes:)``.
    public static func standard(_ options: AlertRuleOptions = .init()) -> AlertRuleSet {
        standard(options, targets: [])
    }

    /// The standard rules plus `GPUMetricsAbsent` for each of `nodes` (node name, responsible tenant).
    public static func standard(_ options: AlertRuleOptions = .init(), nodes: [(node: String, tenant: String)]) -> AlertRuleSet {
        standard(options, targets: nodes.map { AlertTarget(node: $0.node, tenant: $0.tenant) })
    }

    /// The standard rules plus `GPUMetricsAbsent` for each target, in the given order.
    public static func standard(_ options: AlertRuleOptions = .init(), targets: [AlertTarget]) -> AlertRuleSet {
        let catalog = StandardRules(options: options)
        var groups = [AlertRuleGroup(name: "aifactory-gpu", rules: catalog.gpu)]
        if !targets.isEmpty {
            groups.append(AlertRuleGroup(name: "aifactory-inventory", rules: targets.map(catalog.absent(for:))))
        }
        groups.append(AlertRuleGroup(name: "aifactory-serving", rules: catalog.serving))
        groups.append(AlertRuleGroup(name: "aifactory-slo", rules: catalog.slo))
        groups.append(AlertRuleGroup(name: "aifactory-meta", rules: catalog.meta))
        return AlertRuleSet(groups: groups, options: options)
    }
}
