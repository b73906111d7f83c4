import PromQL
/// An Alertmanager configuration routing each tenant's alerts to that tenant's receivers.
///
/// Routing tree (first match wins unless `continue`):
/// 1. `alertname="Watchdog"` → the operator (dead-man's switch), repeated every `watchdogRepeat`.
/// 2. `tenant=""` (operator-only alerts: no tenant label) → the operator.
/// 3. Critical GPU hardware alerts and `ExporterDown` → the operator too, then `continue` so the
///    tenant is told as well (the operator owns the hardware, the tenant owns the workload).
/// 4. One route per tenant (`tenant="x"`), with severity sub-routes: `critical` → the tenant's page
///    receiver (PagerDuty when configured) with a short `group_wait`; everything else → the tenant's
///    receiver with longer waits.
/// 5. Anything else (a tenant without settings) → the operator, so no alert is lost.
///
/// Grouping is by `alertname, tenant, node`. Inhibition: `ExporterDown` for `job="dcgm"` silences the
/// node's `GPU*` alerts, for `job="vllm"` its `VLLM*` alerts (`equal: [tenant, node]`), and a
/// critical alert silences the warning of the same name on the same node and GPU.
public struct AlertmanagerConfig: Sendable, Hashable {
    /// Receivers per tenant (rendered in tenant-name order).
    public var tenants: [String: TenantReceivers]
    /// The operator's webhook (required: operator-only alerts and the Watchdog go there).
    public var operatorWebhookURL: String
    public var criticalGroupWait = "10s"
    public var criticalRepeatInterval = "1h"
    public var warningGroupWait = "1m"
    public var warningRepeatInterval = "12h"
    public var groupInterval = "5m"
    public var watchdogRepeatInterval = "1m"

    public init(tenants: [String: TenantReceivers], operatorWebhookURL: String) {
        self.tenants = tenants
        self.operatorWebhookURL = operatorWebhookURL
    }

    /// Labels every route groups by.
    public static let groupBy = ["alertname", ScopeLabel.tenant, ScopeLabel.node]
    /// Receiver that gets operator-only alerts, the Watchdog and unrouted alerts.
    public static let operatorReceiver = "operator"

    /// Receiver name for `tenant`'s non-paging alerts.
    public static func receiverName(tenant: String) -> String { "tenant-\(tenant)" }
    /// Receiver name for `tenant`'s critical alerts.
    public static func pageReceiverName(tenant: String) -> String { "tenant-\(tenant)-page" }
}
