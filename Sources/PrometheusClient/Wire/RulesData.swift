/// The `data` of `/api/v1/rules`.
struct RulesData: Decodable {
    var groups: [PrometheusRuleGroup]
}
