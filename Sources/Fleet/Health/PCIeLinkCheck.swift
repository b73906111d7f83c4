/// PCIe link: width and generation against the maximum, and the replay rate.
///
/// - Width below `DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH` → Degraded, inspect hardware. The width should
///   not change at run time, so this holds at any load (a reseat or riser problem).
/// - Generation below `DCGM_FI_DEV_PCIE_MAX_LINK_GEN` **under load** (utilisation ≥
///   `pcieLoadUtilisationPercent`, 50 %) → Degraded. An idle link down-shifts to save power, so a
///   lower generation at low or unknown utilisation is not a fault.
/// - Replays per minute above DCGM's allowance (per-lane rate for the generation × width:
///   0.15/0.3/0.48/0.96/1.92/3.84 for Gen 1…6, so Gen 4 x16 allows 16/min), times
///   `pcieReplayRateFactor` → Degraded.
///
/// The maxima are the exporter's (what GPU and slot support together), not the board's nominal
/// ones: a Gen 5 board in a Gen 4 slot is not degraded. Sources: metrics.md §5 (PCIe).
public struct PCIeLinkCheck: HealthCheck {
    public init() {}

    /// DCGM's allowed replays per minute per lane, by generation (1e-12 BER × line rate × 60 s).
    static let replaysPerLanePerMinute: [Int: Double] = [1: 0.15, 2: 0.3, 3: 0.48, 4: 0.96, 5: 1.92, 6: 3.84]

    public func evaluate(_ snapshot: NodeSnapshot, limits: HealthLimits) -> [Finding] {
        snapshot.presentGPUs.flatMap { gpu -> [Finding] in
            let limits = limits.resolved(forClass: snapshot.classID(of: gpu))
            var findings: [Finding] = []
            let gen = gpu[.pcieLinkGen], width = gpu[.pcieLinkWidth]
            if let width, let maxWidth = gpu[.pcieMaxLinkWidth], width > 0, width < maxWidth {
                findings.append(Finding(
                    signal: .pcieLink, severity: .degraded, gpu: gpu.index,
                    reason: "GPU \(gpu.index) PCIe link at x\(HealthFormat.number(width)) of x\(HealthFormat.number(maxWidth)) (degraded below the maximum width)",
                    action: .inspectHardware))
            }
            if let gen, let maxGen = gpu[.pcieMaxLinkGen], gen > 0, gen < maxGen,
               let util = gpu.utilisationPercent, util >= limits.pcieLoadUtilisationPercent {
                findings.append(Finding(
                    signal: .pcieLink, severity: .degraded, gpu: gpu.index,
                    reason: "GPU \(gpu.index) PCIe link at Gen \(HealthFormat.number(gen)) of Gen \(HealthFormat.number(maxGen)) under load (\(HealthFormat.percent(util)) utilisation; degraded below the maximum generation from \(HealthFormat.percent(limits.pcieLoadUtilisationPercent)))",
                    action: .inspectHardware))
            }
            if limits.pcieReplayRateFactor > 0, let rate = DCGMBlank.reading(gpu.pcieReplaysPerMinute),
               let gen, let width, let perLane = Self.replaysPerLanePerMinute[Int(gen)], width > 0 {
                let allowed = (perLane * width).rounded(.up) * limits.pcieReplayRateFactor
                if rate > allowed {
                    findings.append(Finding(
                        signal: .pcieLink, severity: .degraded, gpu: gpu.index,
                        reason: "GPU \(gpu.index): \(HealthFormat.number(rate)) PCIe replays per minute (degraded above \(HealthFormat.number(allowed)) per minute at Gen \(HealthFormat.number(gen)) x\(HealthFormat.number(width)))",
                        action: .inspectHardware))
                }
            }
            return findings
        }
    }
}
