public import Foundation

/// XID errors, decoded through `XIDCatalog`, from **changes** within the XID window.
///
/// `DCGM_FI_DEV_XID_ERRORS` is the *last* XID code, not a count: it stays at 79 until the exporter
/// restarts. Reading it as a count, or as "non-zero means broken", marks a GPU critical forever (the
/// bug in the product we replace). So an occurrence is a **change** of the gauge to a non-zero code
/// (from `xidBaseline`, then sample to sample) whose sample lies within `xidWindowSeconds` (1 h) of
/// the snapshot time. When the exporter also emits `DCGM_EXP_XID_ERRORS_COUNT`, its per-code count
/// is used too (it sees repeats of the same code, which the gauge cannot): the count for a code is
/// the larger of the two.
///
/// Severity per code comes from the catalogue: application codes (13, 31, 43, 45 …) are Healthy
/// events, Degraded from `xidRepeatThreshold` (3) occurrences in the window on one GPU; 63/92/94
/// Degraded; 48/64/74/79/95/119/120/140 and the other bus, memory and firmware codes Critical.
/// `HealthLimits.xidSeverity` overrides a code.
///
/// A critical XID seen in the window keeps the GPU Critical for the window; after that the GPU is
/// judged by what it reports now. A non-zero gauge that has not changed within the window yields
/// only a healthy note saying so.
public struct XIDCheck: HealthCheck {
    public init() {}

    /// One code's occurrences on one GPU within the window.
    public struct Occurrences: Sendable, Hashable {
        /// The XID code.
        public var code: Int
        /// How many times it occurred in the window (at least 1).
        public var count: Int
        /// Time of the latest change of the gauge to this code, when the gauge shows one.
        public var lastSeen: Date?
    }

    public func evaluate(_ snapshot: NodeSnapshot, limits: HealthLimits) -> [Finding] {
        snapshot.gpus.sorted { $0.index < $1.index }.flatMap { gpu in
            findings(gpu, now: snapshot.sampleTime, limits: limits.resolved(forClass: snapshot.classID(of: gpu)))
        }
    }

    /// XID occurrences on `gpu` in the window ending at `now`, by code.
    public static func occurrences(_ gpu: GPUSnapshot, now: Date, windowSeconds: Double) -> [Occurrences] {
        let windowStart = now.addingTimeInterval(-windowSeconds)
        var byCode: [Int: Occurrences] = [:]
        var previous = DCGMBlank.reading(gpu.xidBaseline)
        var hadPrevious = gpu.xidBaseline != nil
        for sample in gpu.xidHistory.sorted(by: { $0.time < $1.time }) where sample.time <= now {
            guard let value = DCGMBlank.reading(sample.value), value >= 0, value.rounded() == value, value < 1e6 else { continue }
            defer { previous = value; hadPrevious = true }
            guard value != 0, !hadPrevious || value != previous, sample.time > windowStart else { continue }
            let code = Int(value)
            var entry = byCode[code] ?? Occurrences(code: code, count: 0, lastSeen: nil)
            entry.count += 1
            entry.lastSeen = sample.time
            byCode[code] = entry
        }
        for (code, count) in gpu.xidCounts ?? [:] where code > 0 && count > 0 {
            var entry = byCode[code] ?? Occurrences(code: code, count: 0, lastSeen: nil)
            entry.count = max(entry.count, count)
            byCode[code] = entry
        }
        return byCode.values.sorted { $0.code < $1.code }
    }

    private func findings(_ gpu: GPUSnapshot, now: Date, limits: HealthLimits) -> [Finding] {
        let window = limits.xidWindowSeconds
        let found = Self.occurrences(gpu, now: now, windowSeconds: window)
        let windowText = "the last \(HealthFormat.duration(window))"
        if found.isEmpty { return stickyNote(gpu, windowText: windowText) }
        return found.map { occurrence in
            let entry = XIDCatalog.entry(for: occurrence.code)
            let repeated = occurrence.count >= limits.xidRepeatThreshold
            let severity = limits.xidSeverityOverride(occurrence.code)
                ?? (repeated ? entry.repeatedSeverity : entry.severity)
            var reason = "XID \(occurrence.code) (\(entry.name)) on GPU \(gpu.index)"
            if let lastSeen = occurrence.lastSeen {
                reason += occurrence.count > 1 ? ", last at " : " at "
                reason += HealthFormat.moment(lastSeen, now: now)
            }
            if occurrence.count > 1 || occurrence.lastSeen == nil {
                reason += occurrence.count == 1 ? ", once in \(windowText)" : ", \(occurrence.count) times in \(windowText)"
            }
            if entry.kind != .fault && entry.severity != entry.repeatedSeverity && limits.xidSeverityOverride(occurrence.code) == nil {
                reason += repeated
                    ? " (\(entry.repeatedSeverity.label.lowercased()) from \(limits.xidRepeatThreshold) in \(windowText))"
                    : " (\(entry.repeatedSeverity.label.lowercased()) from \(limits.xidRepeatThreshold))"
            }
            reason += ": \(entry.advice)"
            return Finding(signal: .xid, severity: severity, gpu: gpu.index, reason: reason,
                           action: severity == .healthy && entry.kind == .fault ? .none : entry.action)
        }
    }

    /// A healthy note when the gauge still shows a code that did not change within the window.
    private func stickyNote(_ gpu: GPUSnapshot, windowText: String) -> [Finding] {
        let latestHistory = gpu.xidHistory.max { $0.time < $1.time }.flatMap { DCGMBlank.reading($0.value) }
        guard let current = latestHistory ?? gpu[.xidErrors], current > 0, current.rounded() == current, current < 1e6 else { return [] }
        let code = Int(current)
        return [Finding(
            signal: .xid, severity: .healthy, gpu: gpu.index,
            reason: "GPU \(gpu.index): no new XID in \(windowText); DCGM_FI_DEV_XID_ERRORS still shows \(code) (\(XIDCatalog.name(of: code))) from earlier, because the exporter keeps the last code until it restarts",
            action: .none)]
    }
}
