import Foundation

/// Whether there are data to judge by: exporter up, data fresh, every expected GPU reported, and the
/// fields the checks read actually emitted.
///
/// - Exporter target down (`up` = 0) or unknown to Prometheus → one node-wide **Unknown** finding,
///   action check exporter. Nothing else is reported for the node: every GPU is then Unknown, never
///   Healthy (a fault the history still shows, such as an XID in the window, can make it worse).
/// - Exporter data older than `staleAfterSeconds` (last scrape, or a GPU's own newest sample) →
///   **Unknown** (node-wide or for that GPU).
/// - A GPU the inventory expects (`0..<expectedGPUCount`) or the history knows, that the exporter
///   does not report now → **Unknown** for that GPU ("absent"); no GPU at all → node-wide Unknown.
/// - A field a check needs that the exporter does not emit (or emits only as a DCGM blank) →
///   a **healthy** "not collected" finding naming the DCGM field, action enable the field. It is
///   reported once for the node when no GPU has it, else per GPU. A missing field is never read as 0.
public struct SeriesPresenceCheck: HealthCheck {
    public init() {}

    /// The fields each check reads, in report order. Memory temperature is absent by design on GDDR
    /// boards, so it is not listed.
    public static let checkedFields: [(signal: Signal, fields: [GPUField])] = [
        (.temperature, [.gpuTemp]),
        (.xid, [.xidErrors]),
        (.ecc, [.eccDBEVolatile]),
        (.rowRemap, [.rowRemapFailure]),
        (.pcieLink, [.pcieLinkGen, .pcieLinkWidth, .pcieMaxLinkGen, .pcieMaxLinkWidth]),
        (.clockEvents, [.clockEventReasons]),
        (.memory, [.fbUsed, .fbFree, .gpuUtil]),
    ]

    public func evaluate(_ snapshot: NodeSnapshot, limits: HealthLimits) -> [Finding] {
        let now = snapshot.sampleTime
        let stale = limits.resolved(forClass: snapshot.gpuClass).staleAfterSeconds
        switch snapshot.exporterUp {
        case .some(true):
            break
        case .some(false):
            var reason = "The dcgm-exporter on \(snapshot.node) is down (up = 0)"
            if let lastScrape = snapshot.lastScrape { reason += "; last good scrape at \(HealthFormat.moment(lastScrape, now: now))" }
            return [Finding(signal: .exporter, severity: .unknown, gpu: nil, reason: reason + ": GPU health is unknown", action: .checkExporter)]
        case .none:
            return [Finding(
                signal: .exporter, severity: .unknown, gpu: nil,
                reason: "Prometheus has no dcgm-exporter target for \(snapshot.node) (no up series): GPU health is unknown",
                action: .checkExporter)]
        }
        if let lastScrape = snapshot.lastScrape, now.timeIntervalSince(lastScrape) > stale {
            return [Finding(
                signal: .staleness, severity: .unknown, gpu: nil,
                reason: "The newest exporter data for \(snapshot.node) are \(HealthFormat.duration(now.timeIntervalSince(lastScrape))) old (stale after \(HealthFormat.duration(stale))): GPU health is unknown",
                action: .checkExporter)]
        }
        let present = snapshot.presentGPUs
        guard !present.isEmpty else {
            let expected = snapshot.expectedGPUCount.map { " (the inventory expects \($0))" } ?? ""
            return [Finding(
                signal: .presence, severity: .unknown, gpu: nil,
                reason: "The exporter on \(snapshot.node) reports no GPUs\(expected): GPU health is unknown",
                action: .checkExporter)]
        }
        var findings: [Finding] = []
        let presentIndices = Set(present.map(\.index))
        for index in snapshot.expectedIndices where !presentIndices.contains(index) {
            var reason = "GPU \(index) is absent: the exporter reports no series for it"
            if let expected = snapshot.expectedGPUCount { reason += " (the inventory expects \(expected) GPUs, \(present.count) reported)" }
            if let lastSeen = snapshot.gpu(index)?.lastSeen { reason += "; last seen at \(HealthFormat.moment(lastSeen, now: now))" }
            findings.append(Finding(
                signal: .presence, severity: .unknown, gpu: index,
                reason: reason + ". It may have fallen off the bus; check nvidia-smi on the node",
                action: .rebootNode))
        }
        for gpu in present {
            guard let lastSeen = gpu.lastSeen, now.timeIntervalSince(lastSeen) > stale else { continue }
            findings.append(Finding(
                signal: .staleness, severity: .unknown, gpu: gpu.index,
                reason: "GPU \(gpu.index)'s newest samples are \(HealthFormat.duration(now.timeIntervalSince(lastSeen))) old (stale after \(HealthFormat.duration(stale)))",
                action: .checkExporter))
        }
        findings += notCollected(present, node: snapshot.node)
        return findings
    }

    private func notCollected(_ gpus: [GPUSnapshot], node: String) -> [Finding] {
        var findings: [Finding] = []
        for (signal, fields) in Self.checkedFields {
            var missingByGPU: [(GPUSnapshot, [GPUField])] = []
            for gpu in gpus {
                let missing = fields.filter { field in
                    if gpu[field] != nil { return false }
                    if field == .xidErrors, gpu.xidCounts != nil { return false }
                    if field == .gpuUtil, gpu[.grEngineActive] != nil { return false }
                    return true
                }
                if !missing.isEmpty { missingByGPU.append((gpu, missing)) }
            }
            guard !missingByGPU.isEmpty else { continue }
            let commonFields = fields.filter { field in missingByGPU.allSatisfy { $0.1.contains(field) } }
            if missingByGPU.count == gpus.count && !commonFields.isEmpty {
                findings.append(Finding(
                    signal: signal, severity: .healthy, gpu: nil,
                    reason: "\(signal.label) not collected on any GPU of \(node): \(Self.describe(commonFields, on: gpus[0])); it is shown as not collected, never as 0",
                    action: .enableField))
                let rest = missingByGPU.compactMap { gpu, missing -> (GPUSnapshot, [GPUField])? in
                    let others = missing.filter { !commonFields.contains($0) }
                    return others.isEmpty ? nil : (gpu, others)
                }
                findings += rest.map { Self.perGPU(signal, $0.0, $0.1) }
            } else {
                findings += missingByGPU.map { Self.perGPU(signal, $0.0, $0.1) }
            }
        }
        return findings
    }

    private static func perGPU(_ signal: Signal, _ gpu: GPUSnapshot, _ fields: [GPUField]) -> Finding {
        Finding(
            signal: signal, severity: .healthy, gpu: gpu.index,
            reason: "\(signal.label) not collected on GPU \(gpu.index): \(describe(fields, on: gpu)); it is shown as not collected, never as 0",
            action: .enableField)
    }

    /// "the exporter does not emit DCGM_FI_…" / "the exporter reports DCGM_FI_… only as a DCGM blank".
    private static func describe(_ fields: [GPUField], on gpu: GPUSnapshot) -> String {
        let blank = fields.filter { gpu.isCollected($0) }, absent = fields.filter { !gpu.isCollected($0) }
        var parts: [String] = []
        if !absent.isEmpty { parts.append("the exporter does not emit \(absent.map(\.name).joined(separator: ", "))") }
        if !blank.isEmpty { parts.append("the exporter reports \(blank.map(\.name).joined(separator: ", ")) only as a DCGM blank (not supported)") }
        return parts.joined(separator: "; ")
    }
}
