/// Where one tenant's alerts go: any combination of a webhook, a Slack channel and PagerDuty.
///
/// Read from tenant settings (the `--tenants` file of `aifactory export alertmanager`). A tenant
/// with no receiver still gets a route, so its alerts are grouped and silenceable, but nothing is sent.
public struct TenantReceivers: Sendable, Hashable, Codable {
    public struct Slack: Sendable, Hashable, Codable {
        /// `#channel` (or a user id) to post to.
        public var channel: String
        /// The incoming-webhook URL (a secret).
        public var apiURL: String

        public init(channel: String, apiURL: String) {
            self.channel = channel
            self.apiURL = apiURL
        }
    }

    /// Generic webhook receiving Alertmanager's JSON payload.
    public var webhookURL: String?
    public var slack: Slack?
    /// PagerDuty Events API v2 routing (integration) key; critical alerts page through it.
    public var pagerDutyRoutingKey: String?

    public init(webhookURL: String? = nil, slack: Slack? = nil, pagerDutyRoutingKey: String? = nil) {
        self.webhookURL = webhookURL
        self.slack = slack
        self.pagerDutyRoutingKey = pagerDutyRoutingKey
    }
}
