/// One health check: a pure function from a node snapshot to findings.
///
/// Shaped like gpud's components (one per signal behind one small interface). A check reads no
/// clock, network or database: "now" is `snapshot.sampleTime`, and `limits` are the global limits
/// (a check resolves per-class overrides itself with `limits.resolved(forClass:)`).
///
/// Contract:
/// - A check reports only its own signal. It returns nothing for a field that is not collected:
///   `SeriesPresenceCheck` reports every such field once, so findings are not duplicated.
/// - A check never reads an absent field as 0 (`GPUSnapshot`'s subscript answers `nil`).
/// - Absent GPUs (`GPUSnapshot.isAbsent`) are skipped by checks of current values; `XIDCheck`
///   still reads their history, because a GPU that fell off the bus is worth saying so about.
public protocol HealthCheck: Sendable {
    /// Findings for the snapshot; empty when everything this check can see is fine.
    func evaluate(_ snapshot: NodeSnapshot, limits: HealthLimits) -> [Finding]
}
