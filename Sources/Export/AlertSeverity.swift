/// How urgently an alert needs a person, carried as the `severity` label on every alert.
///
/// Alertmanager routes on it (see ``AlertmanagerConfig``): `critical` pages with a short
/// `group_wait`, `warning` goes to chat/tickets with a longer one, `none` is for pipeline checks
/// such as `Watchdog` that must never page anyone.
public enum AlertSeverity: String, Sendable, Hashable, CaseIterable, Codable {
    /// Act now: a GPU is unusable or users are failing.
    case critical
    /// Act today: degraded hardware or service, no outage yet.
    case warning
    /// Informational; never pages.
    case info
    /// Pipeline checks (`Watchdog`); routed to the operator's dead-man's switch only.
    case none
}
