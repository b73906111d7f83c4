/// A dcgm-exporter field the health model reads, by its series name.
///
/// The raw value is the series name in dcgm-exporter's default CSV naming (what the exporter emits
/// today). DCGM 4.6 renamed some field constants and kept the old ones as aliases; a CSV written with
/// the new or legacy names makes the exporter emit those names instead, so `seriesNames` lists every
/// name Telemetry should accept for the field (`GPUField(seriesName:)` maps them back).
///
/// Fields marked *not in the default CSV* must be enabled in the exporter's counters file; until then
/// the model reports them as "not collected" (never as 0).
public enum GPUField: String, Sendable, Hashable, Codable, CaseIterable {
    /// GPU core temperature, °C.
    case gpuTemp = "DCGM_FI_DEV_GPU_TEMP"
    /// HBM temperature, °C. 0 (or a blank) on GDDR boards, which have no sensor: read as absent.
    case memoryTemp = "DCGM_FI_DEV_MEMORY_TEMP"
    /// Memory max operating temperature, °C (field 151, not in the default CSV).
    case memoryMaxOperatingTemp = "DCGM_FI_DEV_MEM_MAX_OP_TEMP"
    /// GPU utilisation, integer percent 0…100. Not reported for MIG instances.
    case gpuUtil = "DCGM_FI_DEV_GPU_UTIL"
    /// Graphics engine active, ratio 0…1. Works on MIG; stands in for `gpuUtil` when that is absent.
    case grEngineActive = "DCGM_FI_PROF_GR_ENGINE_ACTIVE"
    /// SM active, ratio 0…1 (not in the default CSV).
    case smActive = "DCGM_FI_PROF_SM_ACTIVE"
    /// Framebuffer used, MiB.
    case fbUsed = "DCGM_FI_DEV_FB_USED"
    /// Framebuffer free, MiB.
    case fbFree = "DCGM_FI_DEV_FB_FREE"
    /// Framebuffer reserved by the driver, MiB.
    case fbReserved = "DCGM_FI_DEV_FB_RESERVED"
    /// Power draw, W.
    case powerUsage = "DCGM_FI_DEV_POWER_USAGE"
    /// Value of the **last** XID code (0 = none since the exporter started). Sticky: not a count.
    case xidErrors = "DCGM_FI_DEV_XID_ERRORS"
    /// Volatile double-bit ECC errors since the driver loaded (counter; not in the default CSV).
    case eccDBEVolatile = "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL"
    /// Volatile single-bit ECC errors since the driver loaded (counter; not in the default CSV).
    case eccSBEVolatile = "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL"
    /// 1 when row remapping has failed (Ampere and later).
    case rowRemapFailure = "DCGM_FI_DEV_ROW_REMAP_FAILURE"
    /// 1 when a row remap is pending and needs a GPU reset (field 396, not in the default CSV).
    case rowRemapPending = "DCGM_FI_DEV_ROW_REMAP_PENDING"
    /// Rows remapped for uncorrectable errors (counter).
    case uncorrectableRemappedRows = "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS"
    /// Current PCIe link generation (not in the default CSV).
    case pcieLinkGen = "DCGM_FI_DEV_PCIE_LINK_GEN"
    /// Current PCIe link width, lanes (not in the default CSV).
    case pcieLinkWidth = "DCGM_FI_DEV_PCIE_LINK_WIDTH"
    /// Highest PCIe generation the GPU and system support (not in the default CSV).
    case pcieMaxLinkGen = "DCGM_FI_DEV_PCIE_MAX_LINK_GEN"
    /// Widest PCIe link the GPU and system support (not in the default CSV).
    case pcieMaxLinkWidth = "DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH"
    /// Clock event (throttle) reasons bitmask, as NVML reports it (field 112, not in the default CSV).
    case clockEventReasons = "DCGM_FI_DEV_CLOCKS_EVENT_REASONS"

    /// The DCGM field name, as shown in "not collected" findings.
    public var name: String { rawValue }

    /// Every series name the exporter may use for this field: the default-CSV name first, then the
    /// DCGM ≥ 4.6 constant names and older names.
    public var seriesNames: [String] {
        switch self {
        case .gpuTemp: [rawValue, "DCGM_FI_DEV_GPU_TEMP_CELSIUS"]
        case .gpuUtil: [rawValue, "DCGM_FI_DEV_GPU_UTIL_RATIO"]
        case .powerUsage: [rawValue, "DCGM_FI_DEV_BOARD_POWER_WATTS"]
        case .xidErrors: [rawValue, "DCGM_FI_DEV_XID_ERROR"]
        case .rowRemapFailure: [rawValue, "DCGM_FI_DEV_ROW_REMAP_FAILED"]
        case .clockEventReasons: [rawValue, "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS"]
        default: [rawValue]
        }
    }

    /// The field a series name stands for, accepting every alias in `seriesNames`.
    public init?(seriesName: String) {
        guard let field = GPUField.allCases.first(where: { $0.seriesNames.contains(seriesName) }) else { return nil }
        self = field
    }
}
