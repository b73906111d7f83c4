import Yams

extension AlertmanagerConfig {
    /// Reads tenant receiver settings:
    ///
    /// ```yaml
    /// acme:
    ///   webhook: https://hooks.acme.example/alerts
    ///   slack: {channel: "#gpu-alerts", api_url: https://hooks.slack.com/services/T0/B0/XXX}
    ///   pagerduty: {routing_key: 0123456789abcdef0123456789abcdef}
    /// globex: {webhook: https://globex.example/am}
    /// ```
    ///
    /// Every key is optional; unknown keys are rejected so a typo does not silently drop a receiver.
    public static func parseTenants(yaml text: String) throws(ExportError) -> [String: TenantReceivers] {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw ExportError(.malformedYAML, "tenants file: \(error)") }
        guard let root else { return [:] }
        guard let mapping = root.mapping else { throw ExportError(.invalidDocument, "tenants file: expected a mapping of tenant → receivers") }
        var result: [String: TenantReceivers] = [:]
        for (key, value) in mapping {
            guard let tenant = key.string, !tenant.isEmpty else { throw ExportError(.invalidDocument, "tenants file: tenant names must be strings") }
            let fields = value.mapping ?? Node.Mapping([])
            let isEmpty = value.scalar.map { ["", "~", "null"].contains($0.string) } ?? false
            if value.mapping == nil && !isEmpty {
                throw ExportError(.invalidDocument, "tenants file: \(tenant): expected webhook, slack or pagerduty")
            }
            var receivers = TenantReceivers()
            for (fieldKey, fieldValue) in fields {
                switch fieldKey.string {
                case "webhook":
                    guard let url = fieldValue.string else { throw ExportError(.invalidDocument, "tenants file: \(tenant).webhook must be a URL") }
                    receivers.webhookURL = url
                case "slack":
                    guard let channel = fieldValue.mapping?["channel"]?.string, let api = fieldValue.mapping?["api_url"]?.string else {
                        throw ExportError(.invalidDocument, "tenants file: \(tenant).slack needs channel and api_url")
                    }
                    receivers.slack = .init(channel: channel, apiURL: api)
                case "pagerduty":
                    guard let key = fieldValue.mapping?["routing_key"]?.string else {
                        throw ExportError(.invalidDocument, "tenants file: \(tenant).pagerduty needs routing_key")
                    }
                    receivers.pagerDutyRoutingKey = key
                default:
                    throw ExportError(.invalidDocument, "tenants file: \(tenant): unknown key \(fieldKey.string ?? "?") (expected webhook, slack, pagerduty)")
                }
            }
            result[tenant] = receivers
        }
        return result
    }
}
