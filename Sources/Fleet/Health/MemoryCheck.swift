/// Framebuffer use against utilisation: flags a healthy idle vLLM, never a fault.
///
/// vLLM allocates `gpu_memory_utilization` (≈ 0.9) of VRAM at start-up for the weights and a KV
/// cache it then reuses, so a serving GPU with no traffic shows ≈ 90 % VRAM at 0 % utilisation.
/// That is the expected steady state, not a leak: when the used fraction is at least
/// `idleVRAMFraction` (0.8) and utilisation is at most `idleUtilisationPercent` (0), the check adds
/// a **healthy** finding saying so, so the page can explain it instead of alarming.
///
/// Utilisation is `DCGM_FI_DEV_GPU_UTIL`, or `DCGM_FI_PROF_GR_ENGINE_ACTIVE` on MIG. Sources:
/// issue 5; metrics.md §5 (last paragraph).
public struct MemoryCheck: HealthCheck {
    public init() {}

    public func evaluate(_ snapshot: NodeSnapshot, limits: HealthLimits) -> [Finding] {
        snapshot.presentGPUs.compactMap { gpu -> Finding? in
            let limits = limits.resolved(forClass: snapshot.classID(of: gpu))
            guard let used = gpu.vramUsedFraction, let util = gpu.utilisationPercent,
                  used >= limits.idleVRAMFraction, util <= limits.idleUtilisationPercent else { return nil }
            return Finding(
                signal: .memory, severity: .healthy, gpu: gpu.index,
                reason: "GPU \(gpu.index): ≈\(HealthFormat.percent(used * 100)) VRAM at \(HealthFormat.percent(util)) utilisation is a healthy idle vLLM: weights plus a reserved KV cache",
                action: .none)
        }
    }

    /// `true` when `finding` is this check's idle-vLLM note (for the API's idle-VRAM flag).
    public static func isIdleVLLM(_ finding: Finding) -> Bool {
        finding.signal == .memory && finding.severity == .healthy
    }
}
