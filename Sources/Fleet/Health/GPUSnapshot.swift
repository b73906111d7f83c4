public import Foundation

/// A GPU's index on its node, as in dcgm-exporter's `gpu` label ("0", "1", …).
public typealias GPUIndex = Int

/// What the health checks know about one GPU at the snapshot's time: latest values plus the short
/// history some checks need.
///
/// **Absent is not zero.** A field the exporter does not emit has no entry in `values`; the
/// subscript then answers `nil` and the model reports the field as "not collected". Blank sentinels
/// (`DCGMBlank`) and `DCGM_FI_DEV_MEMORY_TEMP == 0` (GDDR boards have no HBM sensor) also read as
/// `nil`, so a check can never mistake them for a reading.
///
/// A GPU with no `values` at all is *absent*: the inventory or the history knows it, the exporter
/// does not report it now (fallen off the bus, exporter restarted without it).
public struct GPUSnapshot: Sendable, Hashable {
    /// GPU index on the node (`gpu` label).
    public var index: GPUIndex
    /// `GPU-…` UUID (`UUID` label), when known.
    public var uuid: String?
    /// `modelName` label, when known.
    public var modelName: String?
    /// Id of the GPU's `GPUClass`, for per-class limits; `nil` falls back to the node's class.
    public var gpuClass: String?
    /// Latest raw value of each field the exporter emits for this GPU. Missing key = not collected.
    public var values: [GPUField: Double]
    /// Timestamp of the newest sample of this GPU's series; compared with the snapshot time to detect
    /// stale series. `nil` when unknown (staleness is then judged at node level only).
    public var lastSeen: Date?
    /// `DCGM_FI_DEV_GPU_TEMP` samples over at least the thermal sustain window (5 min), oldest first.
    /// Empty: the thermal check uses the latest value alone (it can then say Critical, not Degraded).
    public var temperatureHistory: [TimedValue]
    /// `DCGM_FI_DEV_XID_ERRORS` samples over the XID window, oldest first. The gauge holds the *last*
    /// XID code, so an XID occurrence is a change to a non-zero value (see `XIDCheck`).
    public var xidHistory: [TimedValue]
    /// The XID gauge's value just before `xidHistory` starts; `nil` when the series did not exist
    /// then (a fresh exporter), in which case a non-zero first sample counts as a change.
    public var xidBaseline: Double?
    /// XID counts from `DCGM_EXP_XID_ERRORS_COUNT`, by code (`xid` label): the largest count seen in
    /// the XID window (`max_over_time`). `nil` when the exporter does not emit the family; empty when
    /// it does and reports none.
    public var xidCounts: [Int: Int]?
    /// `DCGM_FI_DEV_ECC_DBE_VOL_TOTAL` at the start of the event window, for the increase.
    public var eccDBEAtWindowStart: Double?
    /// PCIe replays per minute (`rate(DCGM_FI_DEV_PCIE_REPLAY_COUNTER[5m]) * 60`), when collected.
    public var pcieReplaysPerMinute: Double?

    public init(
        index: GPUIndex, uuid: String? = nil, modelName: String? = nil, gpuClass: String? = nil,
        values: [GPUField: Double] = [:], lastSeen: Date? = nil, temperatureHistory: [TimedValue] = [],
        xidHistory: [TimedValue] = [], xidBaseline: Double? = nil, xidCounts: [Int: Int]? = nil,
        eccDBEAtWindowStart: Double? = nil, pcieReplaysPerMinute: Double? = nil
    ) {
        self.index = index
        self.uuid = uuid
        self.modelName = modelName
        self.gpuClass = gpuClass
        self.values = values
        self.lastSeen = lastSeen
        self.temperatureHistory = temperatureHistory
        self.xidHistory = xidHistory
        self.xidBaseline = xidBaseline
        self.xidCounts = xidCounts
        self.eccDBEAtWindowStart = eccDBEAtWindowStart
        self.pcieReplaysPerMinute = pcieReplaysPerMinute
    }

    /// The field's reading, or `nil` when it is not collected, a DCGM blank, or a memory temperature
    /// of 0 (no HBM sensor).
    public subscript(field: GPUField) -> Double? {
        guard let value = DCGMBlank.reading(values[field]) else { return nil }
        if field == .memoryTemp && value == 0 { return nil }
        return value
    }

    /// `true` when the exporter reports nothing for this GPU now.
    public var isAbsent: Bool { values.isEmpty }

    /// `true` when the exporter emits `field` for this GPU (even as a blank).
    public func isCollected(_ field: GPUField) -> Bool { values[field] != nil }

    /// Utilisation in percent: `DCGM_FI_DEV_GPU_UTIL`, else `DCGM_FI_PROF_GR_ENGINE_ACTIVE × 100`
    /// (MIG instances report only the latter). `nil` when neither is collected.
    public var utilisationPercent: Double? {
        if let util = self[.gpuUtil] { return util }
        if let active = self[.grEngineActive] { return active * 100 }
        return nil
    }

    /// Fraction of the framebuffer in use, `used / (used + free + reserved)`, or `nil` when used or
    /// free is not collected.
    public var vramUsedFraction: Double? {
        guard let used = self[.fbUsed], let free = self[.fbFree] else { return nil }
        let total = used + free + (self[.fbReserved] ?? 0)
        guard total > 0 else { return nil }
        return used / total
    }

    /// Temperature samples with blanks removed, oldest first.
    public var temperatureReadings: [TimedValue] {
        temperatureHistory.filter { !DCGMBlank.isBlank($0.value) }
    }
}
