/// One Prometheus alerting rule as data: rendered into rule files, documented by a runbook.
///
/// Several rules may share an ``name`` (for example the fast and slow windows of a burn-rate
/// alert, or one `absent_over_time` rule per node); they share one runbook.
public struct AlertRule: Sendable, Hashable {
    /// Alert name (`alert:`), CamelCase; also the runbook's file name.
    public var name: String
    /// PromQL expression; it must parse with `PromQL.Parser`.
    public var expr: String
    /// `for:` in Prometheus duration text, or `nil` to fire on the first evaluation.
    public var duration: String?
    /// The `severity` label.
    public var severity: AlertSeverity
    /// Static labels added by the rule (besides `severity`), e.g. `tenant`/`node` for absent-series rules.
    public var labels: [String: String]
    /// One line with label templates (`{{ $labels.node }}`).
    public var summary: String
    /// What is wrong and what it affects, with values (`{{ $value }}`).
    public var description: String
    /// `true` when the alert carries no `tenant` label and goes only to the operator.
    public var operatorOnly: Bool

    public init(
        name: String, expr: String, duration: String? = nil, severity: AlertSeverity,
        labels: [String: String] = [:], summary: String, description: String, operatorOnly: Bool = false
    ) {
        self.name = name
        self.expr = expr
        self.duration = duration
        self.severity = severity
        self.labels = labels
        self.summary = summary
        self.description = description
        self.operatorOnly = operatorOnly
    }
}

/// A named group of rules, evaluated together by Prometheus.
public struct AlertRuleGroup: Sendable, Hashable {
    public var name: String
    public var rules: [AlertRule]

    public init(name: String, rules: [AlertRule]) {
        self.name = name
        self.rules = rules
    }
}
