/// Runs every health check over a node snapshot and rolls the findings up.
///
/// Roll-up rules (docs/HEALTH.md):
/// - **GPU** = the worst of its own findings and the node-wide ones (an exporter that is down makes
///   every GPU Unknown); Healthy when nothing worse was found.
/// - **Node** = the worst GPU (and node-wide finding). A node with one Critical GPU is Critical; a
///   node whose exporter is down is Unknown (or worse, when the history shows a fault); a node with
///   no GPUs to judge is Unknown. Unknown ranks above Healthy, so it is never hidden.
/// - **Page pill** = the worst node (`FleetHealth.pill(nodes:)`).
/// - Findings are sorted worst first, then node-wide before per-GPU, then by GPU index.
public struct HealthModel: Sendable {
    /// The checks, in the order their findings are gathered.
    public var checks: [any HealthCheck]
    /// Global limits with per-class overrides.
    public var limits: HealthLimits

    /// Every check the product runs.
    public static let standardChecks: [any HealthCheck] = [
        SeriesPresenceCheck(), ThermalCheck(), XIDCheck(), ECCCheck(), RowRemapCheck(),
        PCIeLinkCheck(), ClockEventCheck(), MemoryCheck(),
    ]

    public init(limits: HealthLimits = .default, checks: [any HealthCheck] = HealthModel.standardChecks) {
        self.limits = limits
        self.checks = checks
    }

    /// The node's health as of `snapshot.sampleTime`.
    public func evaluate(_ snapshot: NodeSnapshot) -> NodeHealth {
        let findings = checks.flatMap { $0.evaluate(snapshot, limits: limits) }.sorted(by: Finding.displayOrder)
        let nodeWide = findings.filter { $0.gpu == nil }
        let nodeWideWorst = nodeWide.map(\.severity).max() ?? .healthy
        let indices = Set(snapshot.expectedIndices).union(findings.compactMap(\.gpu)).sorted()
        let gpus = indices.map { index -> GPUHealth in
            let own = findings.filter { $0.gpu == index }
            let snapshotGPU = snapshot.gpu(index)
            let status = max(nodeWideWorst, own.map(\.severity).max() ?? .healthy)
            let unavailable = snapshotGPU.map { gpu in GPUField.allCases.filter { gpu[$0] == nil } } ?? GPUField.allCases
            return GPUHealth(
                index: index, uuid: snapshotGPU?.uuid, status: status, findings: own,
                idleVLLM: own.contains(where: MemoryCheck.isIdleVLLM), unavailableFields: unavailable)
        }
        let status: Severity = gpus.isEmpty
            ? Severity.worst(nodeWide.map(\.severity).filter { $0 != .healthy })
            : max(nodeWideWorst, Severity.worst(gpus.map(\.status)))
        return NodeHealth(
            node: snapshot.node, sampleTime: snapshot.sampleTime, status: status,
            summary: Self.summary(status: status, gpus: gpus, findings: findings), gpus: gpus, findings: findings)
    }

    /// Evaluates many nodes; the pill over them is `FleetHealth.pill(nodes:)`.
    public func evaluate(_ snapshots: [NodeSnapshot]) -> [NodeHealth] { snapshots.map(evaluate) }

    private static func summary(status: Severity, gpus: [GPUHealth], findings: [Finding]) -> String {
        if status == .healthy {
            let notes = findings.count
            let checked = gpus.count == 1 ? "The GPU was checked" : "All \(gpus.count) GPUs were checked"
            let verb = gpus.count == 1 ? "is" : "are"
            return notes == 0 ? "\(checked) and \(verb) healthy" : "\(checked) and \(verb) healthy (\(notes) note\(notes == 1 ? "" : "s"))"
        }
        guard let worst = findings.first(where: { $0.severity == status }) else {
            return "No GPU data to judge by"
        }
        let others = findings.filter { $0.severity != .healthy }.count - 1
        return others > 0 ? "\(worst.reason) (and \(others) more finding\(others == 1 ? "" : "s"))" : worst.reason
    }
}
