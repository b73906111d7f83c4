/// Row remapping (Ampere and later): the GPU's repair of bad memory rows.
///
/// - `DCGM_FI_DEV_ROW_REMAP_FAILURE` > 0 → Critical, inspect hardware: remapping failed, the memory
///   can no longer be repaired (RMA candidate; DCGM MEM FAIL, gpud "qualifies for RMA").
/// - `DCGM_FI_DEV_ROW_REMAP_PENDING` > 0 → Degraded, schedule a reset: a remap waits for the next
///   GPU reset to take effect (gpud, DCGM).
/// - `DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS` ≥ `uncorrectableRemappedRowsWarn` (512) → Degraded
///   (DCGM's warning that the GPU is in a bad state).
///
/// Sources: metrics.md §4.3 (gpud remapped-rows), §5 (DCGM row-remap limits).
public struct RowRemapCheck: HealthCheck {
    public init() {}

    public func evaluate(_ snapshot: NodeSnapshot, limits: HealthLimits) -> [Finding] {
        snapshot.presentGPUs.flatMap { gpu -> [Finding] in
            let limits = limits.resolved(forClass: snapshot.classID(of: gpu))
            var findings: [Finding] = []
            if let failure = gpu[.rowRemapFailure], failure > 0 {
                findings.append(Finding(
                    signal: .rowRemap, severity: .critical, gpu: gpu.index,
                    reason: "GPU \(gpu.index): row remapping failed (DCGM_FI_DEV_ROW_REMAP_FAILURE = \(HealthFormat.number(failure))); the memory can no longer repair itself, RMA candidate",
                    action: .inspectHardware))
            }
            if let pending = gpu[.rowRemapPending], pending > 0 {
                findings.append(Finding(
                    signal: .rowRemap, severity: .degraded, gpu: gpu.index,
                    reason: "GPU \(gpu.index): a row remap is pending and takes effect at the next GPU reset",
                    action: .scheduleReset))
            }
            if let rows = gpu[.uncorrectableRemappedRows], rows >= limits.uncorrectableRemappedRowsWarn {
                findings.append(Finding(
                    signal: .rowRemap, severity: .degraded, gpu: gpu.index,
                    reason: "GPU \(gpu.index): \(HealthFormat.number(rows)) rows remapped for uncorrectable errors (degraded from \(HealthFormat.number(limits.uncorrectableRemappedRowsWarn)))",
                    action: .inspectHardware))
            }
            return findings
        }
    }
}
