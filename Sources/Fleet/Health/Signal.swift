/// What a finding is about: one per health check (and per exporter concern).
///
/// Raw values are returned by the API and used by alert rules and runbooks, so they must not change.
public enum Signal: String, Sendable, Hashable, Codable, CaseIterable {
    /// GPU core temperature (`DCGM_FI_DEV_GPU_TEMP`).
    case temperature
    /// HBM temperature (`DCGM_FI_DEV_MEMORY_TEMP`); GDDR boards have none.
    case memoryTemperature = "memory-temperature"
    /// XID errors reported by the driver (`DCGM_FI_DEV_XID_ERRORS`, `DCGM_EXP_XID_ERRORS_COUNT`).
    case xid
    /// ECC errors (`DCGM_FI_DEV_ECC_DBE_VOL_TOTAL`).
    case ecc
    /// Row remapping (`DCGM_FI_DEV_ROW_REMAP_FAILURE`, `…_PENDING`, `…_UNCORRECTABLE_REMAPPED_ROWS`).
    case rowRemap = "row-remap"
    /// PCIe link generation and width against their maximum, and PCIe replays.
    case pcieLink = "pcie-link"
    /// Clock event (throttle) reasons (`DCGM_FI_DEV_CLOCKS_EVENT_REASONS`).
    case clockEvents = "clock-events"
    /// Framebuffer use against utilisation (the idle-vLLM note).
    case memory
    /// The node's dcgm-exporter scrape target (`up`).
    case exporter
    /// A GPU the inventory expects but the exporter does not report.
    case presence
    /// Series that stopped updating.
    case staleness
    /// The enrolled `aifactory agent`'s heartbeat (docs/AGENT.md "Enrol").
    case agent

    /// Label for people.
    public var label: String {
        switch self {
        case .temperature: "Temperature"
        case .memoryTemperature: "Memory temperature"
        case .xid: "XID errors"
        case .ecc: "ECC"
        case .rowRemap: "Row remapping"
        case .pcieLink: "PCIe link"
        case .clockEvents: "Clock events"
        case .memory: "Memory"
        case .exporter: "Exporter"
        case .presence: "GPU presence"
        case .staleness: "Freshness"
        case .agent: "Agent"
        }
    }
}
