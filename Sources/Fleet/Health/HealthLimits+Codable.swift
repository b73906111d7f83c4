extension HealthLimits: Codable {
    /// Decodes a partial configuration over `HealthLimits.default`: absent keys keep their default,
    /// unknown keys (here or in a class override) are an error.
    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(Self.fieldKeys + ["classes"]))
        let container = try decoder.container(keyedBy: FieldKey.self)
        // The same fields as a patch, plus `classes`; the patch's own decoder would reject `classes`.
        var patch = Patch()
        for field in Self.fields { try field.decode(container, &patch) }
        var limits = HealthLimits.default
        limits.apply(patch)
        limits.classes = try container.decodeIfPresent([String: Patch].self, forKey: FieldKey("classes")) ?? [:]
        self = limits
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FieldKey.self)
        for field in Self.fields { try field.encode(self, &container) }
        try container.encode(classes, forKey: FieldKey("classes"))
    }
}
