import Foundation

/// Finds the event occurrences between two snapshots of one node: a pure function, no clock, no I/O.
///
/// `detect(previous:current:health:)` compares the node's previous snapshot (`nil` on the first
/// poll, e.g. after a restart) with the current one and its health verdict:
///
/// | kind | onset (adds to the count) | continuation (moves `lastSeen` only) |
/// |---|---|---|
/// | `xid` | the XID gauge changed to a non-zero code after the previous snapshot (`XIDCheck.occurrences`), or `DCGM_EXP_XID_ERRORS_COUNT` rose for a code | — (a sticky gauge is not an event) |
/// | `ecc-dbe` | `DCGM_FI_DEV_ECC_DBE_VOL_TOTAL` increased | — |
/// | `thermal` | the temperature finding became Degraded or Critical, or escalated | it stays Degraded/Critical |
/// | `row-remap` | `DCGM_FI_DEV_ROW_REMAP_FAILURE` went 0 → 1 | it stays 1 |
/// | `pcie-link` | link width or generation dropped | the PCIe check still reports Degraded |
/// | `clock-event` | a degrading clock-event bit appeared (code = the bit) | the bit is still set |
/// | `exporter-down` | the exporter went up → down (node-wide) | it stays down |
///
/// Without a previous snapshot, XID changes are taken from the whole XID window with their sample
/// times (the store ignores occurrences it already has, so a restart does not count them twice),
/// and states that are on are reported as continuations. Counter increases need two snapshots.
public struct EventDetector: Sendable {
    /// Limits used for the health model (XID window, clock-event mask, thermal thresholds).
    public var limits: HealthLimits

    public init(limits: HealthLimits = .default) {
        self.limits = limits
    }

    /// Occurrences on `current.node` since `previous`, sorted by time, kind and GPU.
    public func detect(previous: NodeSnapshot?, current: NodeSnapshot, health: NodeHealth) -> [EventOccurrence] {
        let now = current.sampleTime
        var found: [EventOccurrence] = exporter(previous: previous, current: current)
        for gpu in current.gpus.sorted(by: { $0.index < $1.index }) {
            let before = previous?.gpu(gpu.index)
            let limits = self.limits.resolved(forClass: current.classID(of: gpu))
            found += xid(gpu, before: before, previous: previous, node: current.node, now: now, limits: limits)
            guard !gpu.isAbsent else { continue }
            found += ecc(gpu, before: before, node: current.node, now: now)
            found += thermal(gpu, previous: previous, node: current.node, now: now, health: health)
            found += rowRemap(gpu, before: before, node: current.node, now: now)
            found += pcie(gpu, before: before, node: current.node, now: now, health: health)
            found += clockEvents(gpu, before: before, node: current.node, now: now, limits: limits)
        }
        return found.sorted { lhs, rhs in
            if lhs.time != rhs.time { return lhs.time < rhs.time }
            if lhs.kind != rhs.kind { return lhs.kind.rawValue < rhs.kind.rawValue }
            return (lhs.gpuIndex ?? -1) < (rhs.gpuIndex ?? -1)
        }
    }

    private func occurrence(
        _ gpu: GPUSnapshot, node: String, kind: GPUEvent.Kind, code: Int? = nil, meaning: String,
        severity: Severity, time: Date, count: Int = 1, onset: Bool
    ) -> EventOccurrence {
        EventOccurrence(node: node, gpuUUID: gpu.uuid, gpuIndex: gpu.index, kind: kind, code: code, meaning: meaning,
                        severity: severity, time: time, count: count, isOnset: onset)
    }

    private func exporter(previous: NodeSnapshot?, current: NodeSnapshot) -> [EventOccurrence] {
        guard current.exporterUp == false else { return [] }
        let onset = previous?.exporterUp == true
        return [EventOccurrence(
            node: current.node, kind: .exporterDown,
            meaning: "the DCGM exporter of \(current.node) is down (up == 0): no GPU data",
            severity: .unknown, time: current.sampleTime, isOnset: onset)]
    }

    private func xid(
        _ gpu: GPUSnapshot, before: GPUSnapshot?, previous: NodeSnapshot?, node: String, now: Date, limits: HealthLimits
    ) -> [EventOccurrence] {
        var gauge = gpu
        gauge.xidCounts = nil
        let window = previous.map { now.timeIntervalSince($0.sampleTime) } ?? limits.xidWindowSeconds
        guard window > 0 else { return [] }
        var byCode: [Int: (count: Int, time: Date?)] = [:]
        for found in XIDCheck.occurrences(gauge, now: now, windowSeconds: window) {
            byCode[found.code] = (found.count, found.lastSeen)
        }
        // The count family sees repeats of one code the gauge cannot; it needs a previous snapshot.
        if previous != nil, let counts = gpu.xidCounts {
            for (code, count) in counts where code > 0 {
                let rise = count - (before?.xidCounts?[code] ?? 0)
                guard rise > 0 else { continue }
                let entry = byCode[code]
                byCode[code] = (max(entry?.count ?? 0, rise), entry?.time)
            }
        }
        return byCode.keys.sorted().compactMap { code in
            guard let entry = byCode[code] else { return nil }
            let catalogue = XIDCatalog.entry(for: code)
            let severity = limits.xidSeverityOverride(code) ?? catalogue.severity
            return occurrence(gpu, node: node, kind: .xid, code: code, meaning: "XID \(code): \(catalogue.name)",
                              severity: severity, time: entry.time ?? now, count: entry.count, onset: true)
        }
    }

    private func ecc(_ gpu: GPUSnapshot, before: GPUSnapshot?, node: String, now: Date) -> [EventOccurrence] {
        guard let total = gpu[.eccDBEVolatile], let earlier = before?[.eccDBEVolatile], total > earlier else { return [] }
        let rise = total - earlier
        let text = rise == 1 ? "1 new double-bit ECC error" : "\(HealthFormat.number(rise)) new double-bit ECC errors"
        return [occurrence(gpu, node: node, kind: .eccDBE,
                           meaning: "GPU \(gpu.index): \(text) (volatile total \(HealthFormat.number(total))); uncorrectable memory errors",
                           severity: .critical, time: now, onset: true)]
    }

    private func thermal(_ gpu: GPUSnapshot, previous: NodeSnapshot?, node: String, now: Date, health: NodeHealth) -> [EventOccurrence] {
        let findings = health.findings.filter { $0.signal == .temperature && $0.gpu == gpu.index && $0.severity >= .degraded }
        guard let worst = findings.max(by: { $0.severity < $1.severity }) else { return [] }
        let before = previous.map { snapshot in
            ThermalCheck().evaluate(snapshot, limits: limits)
                .filter { $0.gpu == gpu.index && $0.severity >= .degraded }
                .map(\.severity).max() ?? .healthy
        }
        let onset = before.map { worst.severity > $0 } ?? false
        return [occurrence(gpu, node: node, kind: .thermal, meaning: worst.reason, severity: worst.severity, time: now, onset: onset)]
    }

    private func rowRemap(_ gpu: GPUSnapshot, before: GPUSnapshot?, node: String, now: Date) -> [EventOccurrence] {
        guard let failure = gpu[.rowRemapFailure], failure >= 1 else { return [] }
        let onset = before?[.rowRemapFailure].map { $0 < 1 } ?? false
        return [occurrence(gpu, node: node, kind: .rowRemap,
                           meaning: "GPU \(gpu.index): row remapping failed; the memory can no longer repair itself",
                           severity: .critical, time: now, onset: onset)]
    }

    private func pcie(_ gpu: GPUSnapshot, before: GPUSnapshot?, node: String, now: Date, health: NodeHealth) -> [EventOccurrence] {
        var drops: [String] = []
        if let width = gpu[.pcieLinkWidth], let earlier = before?[.pcieLinkWidth], width < earlier {
            drops.append("width x\(HealthFormat.number(earlier)) → x\(HealthFormat.number(width))")
        }
        if let generation = gpu[.pcieLinkGen], let earlier = before?[.pcieLinkGen], generation < earlier {
            drops.append("generation \(HealthFormat.number(earlier)) → \(HealthFormat.number(generation))")
        }
        let finding = health.findings.first { $0.signal == .pcieLink && $0.gpu == gpu.index && $0.severity >= .degraded }
        if !drops.isEmpty {
            let meaning = "GPU \(gpu.index): PCIe link dropped (\(drops.joined(separator: ", ")))"
            return [occurrence(gpu, node: node, kind: .pcieLink, meaning: meaning, severity: finding?.severity ?? .degraded, time: now, onset: true)]
        }
        guard let finding else { return [] }
        return [occurrence(gpu, node: node, kind: .pcieLink, meaning: finding.reason, severity: finding.severity, time: now, onset: false)]
    }

    private func clockEvents(_ gpu: GPUSnapshot, before: GPUSnapshot?, node: String, now: Date, limits: HealthLimits) -> [EventOccurrence] {
        guard let now64 = Self.bits(gpu[.clockEventReasons]) else { return [] }
        let mask = UInt64(max(0, limits.clockEventDegradedMask))
        let earlier = before.map { Self.bits($0[.clockEventReasons]) ?? 0 }
        return ClockEventCheck.bits.compactMap { bit in
            guard mask & bit.mask != 0, now64 & bit.mask != 0 else { return nil }
            let onset = earlier.map { $0 & bit.mask == 0 } ?? false
            let hex = "0x" + String(bit.mask, radix: 16)
            return occurrence(gpu, node: node, kind: .clockEvent, code: Int(bit.mask),
                              meaning: "GPU \(gpu.index) clocks held down by \(bit.name) (\(hex)): \(bit.meaning)",
                              severity: .degraded, time: now, onset: onset)
        }
    }

    private static func bits(_ value: Double?) -> UInt64? {
        guard let value, value >= 0, value < 9_007_199_254_740_992, value.rounded() == value else { return nil }
        return UInt64(value)
    }
}
