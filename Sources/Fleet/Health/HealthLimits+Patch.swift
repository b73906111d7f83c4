extension HealthLimits {
    /// A partial `HealthLimits`: only the keys an override sets. Used for per-class overrides and to
    /// decode partial configuration. Field meanings are those of `HealthLimits`.
    public struct Patch: Sendable, Hashable, Codable {
        public var temperatureWarnCelsius: Double?
        public var temperatureCriticalCelsius: Double?
        public var temperatureSustainSeconds: Double?
        public var memoryTemperatureWarnCelsius: Double?
        public var memoryTemperatureCriticalCelsius: Double?
        public var memoryTemperatureMarginCelsius: Double?
        public var xidWindowSeconds: Double?
        public var xidRepeatThreshold: Int?
        /// Merged key by key into the global table.
        public var xidSeverity: [String: Severity]?
        public var uncorrectableRemappedRowsWarn: Double?
        public var pcieLoadUtilisationPercent: Double?
        public var pcieReplayRateFactor: Double?
        public var clockEventDegradedMask: Int?
        public var idleVRAMFraction: Double?
        public var idleUtilisationPercent: Double?
        public var staleAfterSeconds: Double?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case temperatureWarnCelsius, temperatureCriticalCelsius, temperatureSustainSeconds
            case memoryTemperatureWarnCelsius, memoryTemperatureCriticalCelsius, memoryTemperatureMarginCelsius
            case xidWindowSeconds, xidRepeatThreshold, xidSeverity, uncorrectableRemappedRowsWarn
            case pcieLoadUtilisationPercent, pcieReplayRateFactor, clockEventDegradedMask
            case idleVRAMFraction, idleUtilisationPercent, staleAfterSeconds
        }

        public init(
            temperatureWarnCelsius: Double? = nil, temperatureCriticalCelsius: Double? = nil,
            temperatureSustainSeconds: Double? = nil, memoryTemperatureWarnCelsius: Double? = nil,
            memoryTemperatureCriticalCelsius: Double? = nil, memoryTemperatureMarginCelsius: Double? = nil,
            xidWindowSeconds: Double? = nil, xidRepeatThreshold: Int? = nil, xidSeverity: [String: Severity]? = nil,
            uncorrectableRemappedRowsWarn: Double? = nil, pcieLoadUtilisationPercent: Double? = nil,
            pcieReplayRateFactor: Double? = nil, clockEventDegradedMask: Int? = nil, idleVRAMFraction: Double? = nil,
            idleUtilisationPercent: Double? = nil, staleAfterSeconds: Double? = nil
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
        }

        /// Decodes strictly: an unknown key is an error naming it.
        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            temperatureWarnCelsius = try c.decodeIfPresent(Double.self, forKey: .temperatureWarnCelsius)
            temperatureCriticalCelsius = try c.decodeIfPresent(Double.self, forKey: .temperatureCriticalCelsius)
            temperatureSustainSeconds = try c.decodeIfPresent(Double.self, forKey: .temperatureSustainSeconds)
            memoryTemperatureWarnCelsius = try c.decodeIfPresent(Double.self, forKey: .memoryTemperatureWarnCelsius)
            memoryTemperatureCriticalCelsius = try c.decodeIfPresent(Double.self, forKey: .memoryTemperatureCriticalCelsius)
            memoryTemperatureMarginCelsius = try c.decodeIfPresent(Double.self, forKey: .memoryTemperatureMarginCelsius)
            xidWindowSeconds = try c.decodeIfPresent(Double.self, forKey: .xidWindowSeconds)
            xidRepeatThreshold = try c.decodeIfPresent(Int.self, forKey: .xidRepeatThreshold)
            xidSeverity = try c.decodeIfPresent([String: Severity].self, forKey: .xidSeverity)
            uncorrectableRemappedRowsWarn = try c.decodeIfPresent(Double.self, forKey: .uncorrectableRemappedRowsWarn)
            pcieLoadUtilisationPercent = try c.decodeIfPresent(Double.self, forKey: .pcieLoadUtilisationPercent)
            pcieReplayRateFactor = try c.decodeIfPresent(Double.self, forKey: .pcieReplayRateFactor)
            clockEventDegradedMask = try c.decodeIfPresent(Int.self, forKey: .clockEventDegradedMask)
            idleVRAMFraction = try c.decodeIfPresent(Double.self, forKey: .idleVRAMFraction)
            idleUtilisationPercent = try c.decodeIfPresent(Double.self, forKey: .idleUtilisationPercent)
            staleAfterSeconds = try c.decodeIfPresent(Double.self, forKey: .staleAfterSeconds)
        }
    }

    /// Applies every key `patch` sets.
    public mutating func apply(_ patch: Patch) {
        temperatureWarnCelsius = patch.temperatureWarnCelsius ?? temperatureWarnCelsius
        temperatureCriticalCelsius = patch.temperatureCriticalCelsius ?? temperatureCriticalCelsius
        temperatureSustainSeconds = patch.temperatureSustainSeconds ?? temperatureSustainSeconds
        memoryTemperatureWarnCelsius = patch.memoryTemperatureWarnCelsius ?? memoryTemperatureWarnCelsius
        memoryTemperatureCriticalCelsius = patch.memoryTemperatureCriticalCelsius ?? memoryTemperatureCriticalCelsius
        memoryTemperatureMarginCelsius = patch.memoryTemperatureMarginCelsius ?? memoryTemperatureMarginCelsius
        xidWindowSeconds = patch.xidWindowSeconds ?? xidWindowSeconds
        xidRepeatThreshold = patch.xidRepeatThreshold ?? xidRepeatThreshold
        if let overrides = patch.xidSeverity { xidSeverity.merge(overrides) { _, new in new } }
        uncorrectableRemappedRowsWarn = patch.uncorrectableRemappedRowsWarn ?? uncorrectableRemappedRowsWarn
        pcieLoadUtilisationPercent = patch.pcieLoadUtilisationPercent ?? pcieLoadUtilisationPercent
        pcieReplayRateFactor = patch.pcieReplayRateFactor ?? pcieReplayRateFactor
        clockEventDegradedMask = patch.clockEventDegradedMask ?? clockEventDegradedMask
        idleVRAMFraction = patch.idleVRAMFraction ?? idleVRAMFraction
        idleUtilisationPercent = patch.idleUtilisationPercent ?? idleUtilisationPercent
        staleAfterSeconds = patch.staleAfterSeconds ?? staleAfterSeconds
    }
}
