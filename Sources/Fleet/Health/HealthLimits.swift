/// Every threshold the health checks use, with per-GPU-class overrides.
///
/// `HealthLimits.default` holds the numbers from docs/HEALTH.md (sources in metrics.md §4–5).
/// The type is `Codable` so the server can load overrides from its YAML configuration; Fleet does no
/// YAML itself. Decoding is partial and strict: keys left out keep their default, and an unknown key
/// is an error rather than a silently ignored typo. Per-class overrides sit under `classes`, keyed by
/// `GPUClass.id`, and name only what differs:
///
/// ```yaml
/// temperatureWarnCelsius: 83
/// xidWindowSeconds: 7200
/// classes:
///   h100-80: {temperatureWarnCelsius: 80, temperatureCriticalCelsius: 87}
/// ```
///
/// Checks receive limits already resolved for the GPU's class (`resolved(forClass:)`).
public struct HealthLimits: Sendable, Hashable {
    /// Degraded when every GPU temperature sample over the sustain window is at or above this (°C).
    public var temperatureWarnCelsius: Double
    /// Critical when the latest GPU temperature is at or above this (°C).
    public var temperatureCriticalCelsius: Double
    /// How long the temperature must stay at or above the warning limit to count (seconds).
    public var temperatureSustainSeconds: Double
    /// Degraded when the HBM temperature is at or above this (°C). Ignored when the exporter reports
    /// `DCGM_FI_DEV_MEM_MAX_OP_TEMP`; then the limit is that minus `memoryTemperatureMarginCelsius`.
    public var memoryTemperatureWarnCelsius: Double
    /// Critical when the HBM temperature is at or above this (°C). Ignored when the exporter reports
    /// `DCGM_FI_DEV_MEM_MAX_OP_TEMP`, which is then the critical limit.
    public var memoryTemperatureCriticalCelsius: Double
    /// Margin below the exporter's memory max operating temperature at which HBM is Degraded (°C).
    public var memoryTemperatureMarginCelsius: Double
    /// How far back XID occurrences and ECC increases count (seconds). An XID older than this no
    /// longer affects the GPU's state, however long the sticky gauge keeps showing its code.
    public var xidWindowSeconds: Double
    /// Occurrences of one application-class XID (13, 31, 43, 45) on one GPU within the window that
    /// turn the event into a Degraded finding.
    public var xidRepeatThreshold: Int
    /// Severity overrides by XID code (keys are decimal codes, e.g. `"94": healthy`).
    public var xidSeverity: [String: Severity]
    /// Degraded when `DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS` reaches this (DCGM warns at 512).
    public var uncorrectableRemappedRowsWarn: Double
    /// Utilisation (%) from which a PCIe generation below the maximum counts as a fault; below it the
    /// link may have down-shifted to save power.
    public var pcieLoadUtilisationPercent: Double
    /// Multiplier on DCGM's allowed PCIe replay rate (per-lane rate × width per minute); 0 turns the
    /// replay check off.
    public var pcieReplayRateFactor: Double
    /// Clock event reason bits that make a GPU Degraded: HW_SLOWDOWN 0x8, HW_THERMAL 0x40 and
    /// HW_POWER_BRAKE 0x80 by default (200 = 0xC8). Other bits are reported as information.
    public var clockEventDegradedMask: Int
    /// VRAM fraction in use from which an idle GPU is noted as a healthy idle vLLM.
    public var idleVRAMFraction: Double
    /// Utilisation (%) at or below which a GPU counts as idle for the idle-vLLM note.
    public var idleUtilisationPercent: Double
    /// Series older than this (seconds before the snapshot time) are stale: Unknown.
    public var staleAfterSeconds: Double
    /// Overrides by `GPUClass.id`.
    public var classes: [String: Patch]

    /// The documented defaults (docs/HEALTH.md).
    public static let `default` = HealthLimits(
        temperatureWarnCelsius: 85, temperatureCriticalCelsius: 90, temperatureSustainSeconds: 300,
        memoryTemperatureWarnCelsius: 90, memoryTemperatureCriticalCelsius: 95, memoryTemperatureMarginCelsius: 5,
        xidWindowSeconds: 3600, xidRepeatThreshold: 3, xidSeverity: [:],
        uncorrectableRemappedRowsWarn: 512, pcieLoadUtilisationPercent: 50, pcieReplayRateFactor: 1,
        clockEventDegradedMask: 0xC8, idleVRAMFraction: 0.8, idleUtilisationPercent: 0,
        staleAfterSeconds: 120, classes: [:])

    public init(
        temperatureWarnCelsius: Double, temperatureCriticalCelsius: Double, temperatureSustainSeconds: Double,
        memoryTemperatureWarnCelsius: Double, memoryTemperatureCriticalCelsius: Double,
        memoryTemperatureMarginCelsius: Double, xidWindowSeconds: Double, xidRepeatThreshold: Int,
        xidSeverity: [String: Severity], uncorrectableRemappedRowsWarn: Double, pcieLoadUtilisationPercent: Double,
        pcieReplayRateFactor: Double, clockEventDegradedMask: Int, idleVRAMFraction: Double,
        idleUtilisationPercent: Double, staleAfterSeconds: Double, classes: [String: Patch]
    ) {
        self.temperatureWarnCelsius = temperatureWarnCelsius
        self.temperatureCriticalCelsius = temperatureCriticalCelsius
        self.temperatureSustainSeconds = temperatureSustainSeconds
        self.memoryTemperatureWarnCelsius = memoryTemperatureWarnCelsius
        self.memoryTemperatureCriticalCelsius = memoryTemperatureCriticalCelsius
        self.memoryTemperatureMarginCelsius = memoryTemperatureMarginCelsius
        self.xidWindowSeconds = xidWindowSeconds
        self.xidRepeatThreshold = xidRepeatThreshold
        self.xidSeverity = xidSeverity
        self.uncorrectableRemappedRowsWarn = uncorrectableRemappedRowsWarn
        self.pcieLoadUtilisationPercent = pcieLoadUtilisationPercent
        self.pcieReplayRateFactor = pcieReplayRateFactor
        self.clockEventDegradedMask = clockEventDegradedMask
        self.idleVRAMFraction = idleVRAMFraction
        self.idleUtilisationPercent = idleUtilisationPercent
        self.staleAfterSeconds = staleAfterSeconds
        self.classes = classes
    }

    /// These limits with the override for `classID` applied (and no class table left), or `self`
    /// without its class table when the class has no override.
    public func resolved(forClass classID: String?) -> HealthLimits {
        var result = self
        result.classes = [:]
        if let classID, let patch = classes[classID] { result.apply(patch) }
        return result
    }

    /// The severity an override assigns to an XID code, if any.
    public func xidSeverityOverride(_ code: Int) -> Severity? { xidSeverity[String(code)] }

    /// Contradictions a configuration should be refused for, as sentences; empty when consistent.
    /// Checked for the global limits and for each class after its override.
    public func problems() -> [String] {
        func check(_ limits: HealthLimits) -> [String] {
            var found: [String] = []
            if limits.temperatureWarnCelsius > limits.temperatureCriticalCelsius {
                found.append("temperatureWarnCelsius is above temperatureCriticalCelsius")
            }
            if limits.memoryTemperatureWarnCelsius > limits.memoryTemperatureCriticalCelsius {
                found.append("memoryTemperatureWarnCelsius is above memoryTemperatureCriticalCelsius")
            }
            // Each field's own bounds come from the field table.
            found += Self.fields.compactMap { $0.problem(limits) }
            return found
        }
        let global = check(self)
        var problems = global.map { "limits: \($0)" }
        // A class inherits the global limits: only what its override adds is reported under it.
        for id in classes.keys.sorted() {
            problems += check(resolved(forClass: id)).filter { !global.contains($0) }.map { "classes.\(id): \($0)" }
        }
        return problems
    }
}
