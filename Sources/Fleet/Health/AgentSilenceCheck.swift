public import Foundation

/// An enrolled agent that has not sent a heartbeat for `NodeAgent.silentAfterIntervals` of its
/// intervals makes the node's health Unknown: its metrics may be its last before it stopped, so
/// "Healthy" would be a claim nothing backs.
///
/// Pure: the caller passes the node's agent record and the time. It is applied by the read model
/// on top of the metrics-based verdict (with the inventory's current heartbeat, not the one the
/// per-interval telemetry cache saw), so overview, summary and node detail agree. The node keeps
/// the worse of the two: silence never hides a Degraded or Critical finding.
public enum AgentSilenceCheck {
    /// The finding for a silent agent, or `nil` when there is no agent or it reported in time.
    public static func finding(_ agent: NodeAgent?, now: Date) -> Finding? {
        guard let agent, agent.isSilent(at: now) else { return nil }
        let since = agent.lastSeen.formatted(Date.ISO8601FormatStyle())
        return Finding(
            signal: .agent, severity: .unknown, gpu: nil,
            reason: "agent silent since \(since) (no heartbeat for \(NodeAgent.silentAfterIntervals) intervals of \(agent.intervalSeconds) s)",
            action: .checkExporter)
    }

    /// `health` with the silence finding added; a Healthy node becomes Unknown with that reason.
    public static func apply(_ health: NodeHealth, agent: NodeAgent?, now: Date) -> NodeHealth {
        guard let finding = finding(agent, now: now) else { return health }
        var health = health
        health.findings = (health.findings + [finding]).sorted(by: Finding.displayOrder)
        if health.status <= .unknown {
            let wasUnknown = health.status == .unknown
            health.status = .unknown
            health.summary = wasUnknown ? "\(finding.reason); \(health.summary)" : finding.reason
        }
        return health
    }
}
