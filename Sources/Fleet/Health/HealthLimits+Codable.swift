extension HealthLimits: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case temperatureWarnCelsius, temperatureCriticalCelsius, temperatureSustainSeconds
        case memoryTemperatureWarnCelsius, memoryTemperatureCriticalCelsius, memoryTemperatureMarginCelsius
        case xidWindowSeconds, xidRepeatThreshold, xidSeverity, uncorrectableRemappedRowsWarn
        case pcieLoadUtilisationPercent, pcieReplayRateFactor, clockEventDegradedMask
        case idleVRAMFraction, idleUtilisationPercent, staleAfterSeconds, classes
    }

    /// Decodes a partial configuration over `HealthLimits.default`: absent keys keep their default,
    /// unknown keys (here or in a class override) are an error.
    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        var limits = HealthLimits.default
        // Same keys as the patch, minus `classes`; the patch's own decoder would reject `classes`.
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var patch = Patch()
        patch.temperatureWarnCelsius = try c.decodeIfPresent(Double.self, forKey: .temperatureWarnCelsius)
        patch.temperatureCriticalCelsius = try c.decodeIfPresent(Double.self, forKey: .temperatureCriticalCelsius)
        patch.temperatureSustainSeconds = try c.decodeIfPresent(Double.self, forKey: .temperatureSustainSeconds)
        patch.memoryTemperatureWarnCelsius = try c.decodeIfPresent(Double.self, forKey: .memoryTemperatureWarnCelsius)
        patch.memoryTemperatureCriticalCelsius = try c.decodeIfPresent(Double.self, forKey: .memoryTemperatureCriticalCelsius)
        patch.memoryTemperatureMarginCelsius = try c.decodeIfPresent(Double.self, forKey: .memoryTemperatureMarginCelsius)
        patch.xidWindowSeconds = try c.decodeIfPresent(Double.self, forKey: .xidWindowSeconds)
        patch.xidRepeatThreshold = try c.decodeIfPresent(Int.self, forKey: .xidRepeatThreshold)
        patch.xidSeverity = try c.decodeIfPresent([String: Severity].self, forKey: .xidSeverity)
        patch.uncorrectableRemappedRowsWarn = try c.decodeIfPresent(Double.self, forKey: .uncorrectableRemappedRowsWarn)
        patch.pcieLoadUtilisationPercent = try c.decodeIfPresent(Double.self, forKey: .pcieLoadUtilisationPercent)
        patch.pcieReplayRateFactor = try c.decodeIfPresent(Double.self, forKey: .pcieReplayRateFactor)
        patch.clockEventDegradedMask = try c.decodeIfPresent(Int.self, forKey: .clockEventDegradedMask)
        patch.idleVRAMFraction = try c.decodeIfPresent(Double.self, forKey: .idleVRAMFraction)
        patch.idleUtilisationPercent = try c.decodeIfPresent(Double.self, forKey: .idleUtilisationPercent)
        patch.staleAfterSeconds = try c.decodeIfPresent(Double.self, forKey: .staleAfterSeconds)
        limits.apply(patch)
        limits.classes = try c.decodeIfPresent([String: Patch].self, forKey: .classes) ?? [:]
        self = limits
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(temperatureWarnCelsius, forKey: .temperatureWarnCelsius)
        try c.encode(temperatureCriticalCelsius, forKey: .temperatureCriticalCelsius)
        try c.encode(temperatureSustainSeconds, forKey: .temperatureSustainSeconds)
        try c.encode(memoryTemperatureWarnCelsius, forKey: .memoryTemperatureWarnCelsius)
        try c.encode(memoryTemperatureCriticalCelsius, forKey: .memoryTemperatureCriticalCelsius)
        try c.encode(memoryTemperatureMarginCelsius, forKey: .memoryTemperatureMarginCelsius)
        try c.encode(xidWindowSeconds, forKey: .xidWindowSeconds)
        try c.encode(xidRepeatThreshold, forKey: .xidRepeatThreshold)
        try c.encode(xidSeverity, forKey: .xidSeverity)
        try c.encode(uncorrectableRemappedRowsWarn, forKey: .uncorrectableRemappedRowsWarn)
        try c.encode(pcieLoadUtilisationPercent, forKey: .pcieLoadUtilisationPercent)
        try c.encode(pcieReplayRateFactor, forKey: .pcieReplayRateFactor)
        try c.encode(clockEventDegradedMask, forKey: .clockEventDegradedMask)
        try c.encode(idleVRAMFraction, forKey: .idleVRAMFraction)
        try c.encode(idleUtilisationPercent, forKey: .idleUtilisationPercent)
        try c.encode(staleAfterSeconds, forKey: .staleAfterSeconds)
        try c.encode(classes, forKey: .classes)
    }
}
