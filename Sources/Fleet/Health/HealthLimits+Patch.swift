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
            try StrictKeys.check(decoder, allowed: Set(HealthLimits.fieldKeys))
            let container = try decoder.container(keyedBy: FieldKey.self)
            self.init()
            for field in HealthLimits.fields { try field.decode(container, &self) }
        }

        /// Encodes only the keys this patch sets.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: FieldKey.self)
            for field in HealthLimits.fields { try field.encodePatch(self, &container) }
        }
    }

    /// Applies every key `patch` sets.
    public mutating func apply(_ patch: Patch) {
        for field in Self.fields { field.apply(&self, patch) }
    }
}
