/// A misbehaviour injected into one simulated node's exporters at run time (`PUT /faults/<node>`).
///
/// Each field reproduces an observability failure seen on real fleets, so the "validate
/// observability stack" self-check and its tests meet the failure through a real Prometheus
/// rather than through a fake answer. The faults are applied to the rendered exposition bytes
/// (`ExporterFault+Apply.swift`), never inside the renderers, so the simulator's normal output
/// stays exactly what the exporter-format tests pin.
///
/// JSON (every field optional, `null` the same as absent; unknown fields rejected so a typo is
/// not a silent no-op):
/// ```json
/// {"dropFields": ["DCGM_FI_DEV_ECC_SBE_VOL_TOTAL"], "down": false,
///  "forgedTenant": "globex", "legacyVLLMNames": true}
/// ```
public struct ExporterFault: Sendable, Hashable, Codable {
    /// DCGM metric families removed from the node's output (`# HELP`, `# TYPE` and every sample):
    /// an exporter whose counters CSV lacks those fields. Names the simulator does not emit are
    /// accepted and change nothing, as a CSV line for an unsupported field would.
    public var dropFields: [String]
    /// Both exporters of the node answer 503, so Prometheus marks the targets down with a
    /// `lastError` naming the status.
    public var down: Bool
    /// Every DCGM sample line gets `tenant="<value>"`, as a misconfigured exporter that sets its
    /// own tenant label would; with `honor_labels: false` Prometheus keeps the inventory's
    /// `tenant` and stores this one as `exported_tenant`.
    public var forgedTenant: String?
    /// The node's vLLM output uses the deprecated names (`vllm:gpu_cache_usage_perc`,
    /// `vllm:time_per_output_token_seconds`), as a vLLM older than 0.10 / 0.12 does.
    public var legacyVLLMNames: Bool

    public init(dropFields: [String] = [], down: Bool = false, forgedTenant: String? = nil, legacyVLLMNames: Bool = false) {
        self.dropFields = dropFields
        self.down = down
        self.forgedTenant = forgedTenant
        self.legacyVLLMNames = legacyVLLMNames
    }

    /// No fault at all: storing it is the same as clearing the node.
    public var isEmpty: Bool { self == ExporterFault() }

    /// The fields dcgm-exporter's stock `default-counters.csv` leaves commented out (its "# ECC"
    /// block: `Tests/Fixtures/dcgm-exporter-default-counters.csv`): the "stock CSV" scenario.
    public static let stockCSVMissingFields = [
        "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL",
        "DCGM_FI_DEV_ECC_SBE_AGG_TOTAL", "DCGM_FI_DEV_ECC_DBE_AGG_TOTAL",
    ]

    /// Current vLLM family name → the deprecated name `legacyVLLMNames` serves instead
    /// (docs/reference metrics §3.2: deprecated in 0.9 and 0.11 respectively).
    public static let legacyVLLMRenames = [
        "vllm:kv_cache_usage_perc": "vllm:gpu_cache_usage_perc",
        "vllm:inter_token_latency_seconds": "vllm:time_per_output_token_seconds",
    ]

    /// The JSON field names, in the order messages list them.
    public enum Field: String, CaseIterable, Sendable, CodingKey {
        case dropFields, down, forgedTenant, legacyVLLMNames

        /// What a value of the field must be, for error messages.
        var expected: String {
            switch self {
            case .dropFields: "an array of metric names"
            case .down, .legacyVLLMNames: "true or false"
            case .forgedTenant: "a string, or null for none"
            }
        }
    }

    /// Any JSON key, so unknown ones can be named instead of silently ignored.
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = keys.allKeys.first(where: { Field(stringValue: $0.stringValue) == nil }) {
            throw DecodingError.dataCorruptedError(forKey: unknown, in: keys, debugDescription: ExporterFault.unknownFieldMarker)
        }
        let container = try decoder.container(keyedBy: Field.self)
        dropFields = try container.decodeIfPresent([String].self, forKey: .dropFields) ?? []
        down = try container.decodeIfPresent(Bool.self, forKey: .down) ?? false
        forgedTenant = try container.decodeIfPresent(String.self, forKey: .forgedTenant)
        legacyVLLMNames = try container.decodeIfPresent(Bool.self, forKey: .legacyVLLMNames) ?? false
    }

    /// Every field, `forgedTenant` as `null` when unset, so `GET /faults` shows the whole shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Field.self)
        try container.encode(dropFields, forKey: .dropFields)
        try container.encode(down, forKey: .down)
        try container.encode(forgedTenant, forKey: .forgedTenant)
        try container.encode(legacyVLLMNames, forKey: .legacyVLLMNames)
    }

    /// Tells `decode(json:)` that the decoder stopped at an unknown key, not at a bad value.
    static let unknownFieldMarker = "unknown field"
}
