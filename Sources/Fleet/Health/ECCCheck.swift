/// Double-bit (uncorrectable) ECC errors, from `DCGM_FI_DEV_ECC_DBE_VOL_TOTAL`.
///
/// - An **increase** of the volatile DBE counter within the event window (`xidWindowSeconds`, from
///   `eccDBEAtWindowStart` to now) is Critical, action reset GPU. A counter lower than at the window
///   start means the driver reloaded; the whole current count is then new.
/// - A non-zero count with no increase in the window (or no window start to compare with) is
///   Degraded, action schedule a reset: DCGM's MEM watch fails on any volatile DBE until the driver
///   reloads, but an old error must not keep the GPU Critical.
/// - Not collected (the field is not in the exporter's default CSV): no finding here;
///   `SeriesPresenceCheck` reports "not collected". Never read as 0.
///
/// Single-bit errors are corrected by the hardware; their rate is covered by XID 92.
/// Sources: issue 5; metrics.md §5 (DCGM: volatile DBE > 0 → FAIL).
public struct ECCCheck: HealthCheck {
    public init() {}

    public func evaluate(_ snapshot: NodeSnapshot, limits: HealthLimits) -> [Finding] {
        snapshot.presentGPUs.compactMap { gpu -> Finding? in
            guard let count = gpu[.eccDBEVolatile], count > 0 else { return nil }
            let window = limits.resolved(forClass: snapshot.classID(of: gpu)).xidWindowSeconds
            let total = HealthFormat.number(count)
            if let start = DCGMBlank.reading(gpu.eccDBEAtWindowStart) {
                let increase = count >= start ? count - start : count
                if increase > 0 {
                    let errors = increase == 1 ? "1 new double-bit (uncorrectable) ECC error" : "\(HealthFormat.number(increase)) new double-bit (uncorrectable) ECC errors"
                    return Finding(
                        signal: .ecc, severity: .critical, gpu: gpu.index,
                        reason: "GPU \(gpu.index): \(errors) in the last \(HealthFormat.duration(window)) (critical on any increase; \(total) since the driver loaded)",
                        action: .resetGPU)
                }
                return Finding(
                    signal: .ecc, severity: .degraded, gpu: gpu.index,
                    reason: "GPU \(gpu.index): \(total) double-bit ECC error\(count == 1 ? "" : "s") since the driver loaded, none new in the last \(HealthFormat.duration(window)); a GPU reset clears the count",
                    action: .scheduleReset)
            }
            return Finding(
                signal: .ecc, severity: .degraded, gpu: gpu.index,
                reason: "GPU \(gpu.index): \(total) double-bit ECC error\(count == 1 ? "" : "s") since the driver loaded (no history to tell whether any are new); a GPU reset clears the count",
                action: .scheduleReset)
        }
    }
}
