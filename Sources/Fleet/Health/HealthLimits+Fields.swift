/// The one table of limits: each field's key (in YAML, JSON and the patch), where it lives in
/// `HealthLimits` and in `HealthLimits.Patch`, and the values it may take.
///
/// Decoding, encoding, applying a patch and the per-field checks all walk this table, so adding a
/// limit is one stored property on each type plus one row here.
extension HealthLimits {
    struct Field: Sendable {
        let key: String
        let decode: @Sendable (KeyedDecodingContainer<FieldKey>, inout Patch) throws -> Void
        let encode: @Sendable (HealthLimits, inout KeyedEncodingContainer<FieldKey>) throws -> Void
        let encodePatch: @Sendable (Patch, inout KeyedEncodingContainer<FieldKey>) throws -> Void
        let apply: @Sendable (inout HealthLimits, Patch) -> Void
        /// Why the value is out of bounds, or `nil` when it is fine.
        let problem: @Sendable (HealthLimits) -> String?
    }

    /// A coding key for any field name.
    struct FieldKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        init(_ name: String) { self.stringValue = name }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    /// A field whose patch value replaces the limit; `valid` states the bounds (`nil`: any value),
    /// `bounds` says them in words for the error.
    static func field<Value: Codable & Sendable>(
        _ key: String,
        _ limit: any WritableKeyPath<HealthLimits, Value> & Sendable,
        _ patch: any WritableKeyPath<Patch, Value?> & Sendable,
        bounds: String? = nil,
        valid: (@Sendable (Value) -> Bool)? = nil
    ) -> Field {
        Field(
            key: key,
            decode: { container, target in target[keyPath: patch] = try container.decodeIfPresent(Value.self, forKey: FieldKey(key)) },
            encode: { limits, container in try container.encode(limits[keyPath: limit], forKey: FieldKey(key)) },
            encodePatch: { source, container in try container.encodeIfPresent(source[keyPath: patch], forKey: FieldKey(key)) },
            apply: { limits, source in
                if let value = source[keyPath: patch] { limits[keyPath: limit] = value }
            },
            problem: { limits in
                guard let valid, let bounds, !valid(limits[keyPath: limit]) else { return nil }
                return "\(key) \(bounds)"
            }
        )
    }

    static let fields: [Field] = [
        field("temperatureWarnCelsius", \.temperatureWarnCelsius, \.temperatureWarnCelsius),
        field("temperatureCriticalCelsius", \.temperatureCriticalCelsius, \.temperatureCriticalCelsius),
        field("temperatureSustainSeconds", \.temperatureSustainSeconds, \.temperatureSustainSeconds,
              bounds: "must not be negative", valid: { $0 >= 0 }),
        field("memoryTemperatureWarnCelsius", \.memoryTemperatureWarnCelsius, \.memoryTemperatureWarnCelsius),
        field("memoryTemperatureCriticalCelsius", \.memoryTemperatureCriticalCelsius, \.memoryTemperatureCriticalCelsius),
        field("memoryTemperatureMarginCelsius", \.memoryTemperatureMarginCelsius, \.memoryTemperatureMarginCelsius),
        field("xidWindowSeconds", \.xidWindowSeconds, \.xidWindowSeconds, bounds: "must be positive", valid: { $0 > 0 }),
        field("xidRepeatThreshold", \.xidRepeatThreshold, \.xidRepeatThreshold, bounds: "must be at least 1", valid: { $0 >= 1 }),
        // Merged key by key into the global table rather than replaced.
        Field(
            key: "xidSeverity",
            decode: { container, target in
                target.xidSeverity = try container.decodeIfPresent([String: Severity].self, forKey: FieldKey("xidSeverity"))
            },
            encode: { limits, container in try container.encode(limits.xidSeverity, forKey: FieldKey("xidSeverity")) },
            encodePatch: { source, container in try container.encodeIfPresent(source.xidSeverity, forKey: FieldKey("xidSeverity")) },
            apply: { limits, source in
                if let overrides = source.xidSeverity { limits.xidSeverity.merge(overrides) { _, new in new } }
            },
            problem: { limits in
                let bad = limits.xidSeverity.keys.sorted().filter { Int($0) == nil }
                return bad.first.map { "xidSeverity key \"\($0)\" is not an XID code" }
            }
        ),
        field("uncorrectableRemappedRowsWarn", \.uncorrectableRemappedRowsWarn, \.uncorrectableRemappedRowsWarn),
        field("pcieLoadUtilisationPercent", \.pcieLoadUtilisationPercent, \.pcieLoadUtilisationPercent),
        field("pcieReplayRateFactor", \.pcieReplayRateFactor, \.pcieReplayRateFactor),
        field("clockEventDegradedMask", \.clockEventDegradedMask, \.clockEventDegradedMask),
        field("idleVRAMFraction", \.idleVRAMFraction, \.idleVRAMFraction, bounds: "must be 0…1", valid: { (0...1).contains($0) }),
        field("idleUtilisationPercent", \.idleUtilisationPercent, \.idleUtilisationPercent),
        field("staleAfterSeconds", \.staleAfterSeconds, \.staleAfterSeconds, bounds: "must be positive", valid: { $0 > 0 }),
    ]

    /// Every field's key, in table order.
    static let fieldKeys: [String] = fields.map(\.key)
}
