public import Exposition

/// A series the agent exports, by its dcgm-exporter name, with the NVML call behind it.
///
/// Names, HELP texts, types and units are dcgm-exporter's (its CSVs, `shared/reference/metrics.md`),
/// so dashboards, alert rules and the server's health model (`Fleet.GPUField`) read the agent as
/// they read dcgm-exporter. Order: the default-CSV fields in the order of a real dcgm-exporter
/// scrape, then the fields an operator enables for GPU health.
public enum AgentField: Int, CaseIterable, Sendable {
    case smClock, memClock, memoryTemp, gpuTemp, power, energy, pcieReplay, gpuUtil, memCopyUtil
    case xidErrors, fbFree, fbUsed, fbReserved, uncorrectableRemappedRows, correctableRemappedRows, rowRemapFailure
    case fbTotal, rowRemapPending, eccSBEVolatile, eccDBEVolatile, eccSBEAggregate, eccDBEAggregate
    case retiredSBE, retiredDBE, retiredPending, pcieLinkGen, pcieLinkWidth, pcieMaxLinkGen, pcieMaxLinkWidth
    case clockEventReasons, powerManagementLimit, enforcedPowerLimit

    /// The series name.
    public var name: String {
        switch self {
        case .smClock: "DCGM_FI_DEV_SM_CLOCK"
        case .memClock: "DCGM_FI_DEV_MEM_CLOCK"
        case .memoryTemp: "DCGM_FI_DEV_MEMORY_TEMP"
        case .gpuTemp: "DCGM_FI_DEV_GPU_TEMP"
        case .power: "DCGM_FI_DEV_POWER_USAGE"
        case .energy: "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"
        case .pcieReplay: "DCGM_FI_DEV_PCIE_REPLAY_COUNTER"
        case .gpuUtil: "DCGM_FI_DEV_GPU_UTIL"
        case .memCopyUtil: "DCGM_FI_DEV_MEM_COPY_UTIL"
        case .xidErrors: "DCGM_FI_DEV_XID_ERRORS"
        case .fbFree: "DCGM_FI_DEV_FB_FREE"
        case .fbUsed: "DCGM_FI_DEV_FB_USED"
        case .fbReserved: "DCGM_FI_DEV_FB_RESERVED"
        case .uncorrectableRemappedRows: "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS"
        case .correctableRemappedRows: "DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS"
        case .rowRemapFailure: "DCGM_FI_DEV_ROW_REMAP_FAILURE"
        case .fbTotal: "DCGM_FI_DEV_FB_TOTAL"
        case .rowRemapPending: "DCGM_FI_DEV_ROW_REMAP_PENDING"
        case .eccSBEVolatile: "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL"
        case .eccDBEVolatile: "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL"
        case .eccSBEAggregate: "DCGM_FI_DEV_ECC_SBE_AGG_TOTAL"
        case .eccDBEAggregate: "DCGM_FI_DEV_ECC_DBE_AGG_TOTAL"
        case .retiredSBE: "DCGM_FI_DEV_RETIRED_SBE"
        case .retiredDBE: "DCGM_FI_DEV_RETIRED_DBE"
        case .retiredPending: "DCGM_FI_DEV_RETIRED_PENDING"
        case .pcieLinkGen: "DCGM_FI_DEV_PCIE_LINK_GEN"
        case .pcieLinkWidth: "DCGM_FI_DEV_PCIE_LINK_WIDTH"
        case .pcieMaxLinkGen: "DCGM_FI_DEV_PCIE_MAX_LINK_GEN"
        case .pcieMaxLinkWidth: "DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH"
        case .clockEventReasons: "DCGM_FI_DEV_CLOCKS_EVENT_REASONS"
        case .powerManagementLimit: "DCGM_FI_DEV_POWER_MGMT_LIMIT"
        case .enforcedPowerLimit: "DCGM_FI_DEV_ENFORCED_POWER_LIMIT"
        }
    }

    /// dcgm-exporter's HELP text (its CSVs where the field is listed there).
    public var help: String {
        switch self {
        case .smClock: "SM clock frequency (in MHz)."
        case .memClock: "Memory clock frequency (in MHz)."
        case .memoryTemp: "Memory temperature (in C)."
        case .gpuTemp: "GPU temperature (in C)."
        case .power: "Power draw (in W)."
        case .energy: "Total energy consumption since boot (in mJ)."
        case .pcieReplay: "Total number of PCIe retries."
        case .gpuUtil: "GPU utilization (in %)."
        case .memCopyUtil: "Memory utilization (in %)."
        case .xidErrors: "Value of the last XID error encountered."
        case .fbFree: "Framebuffer memory free (in MiB)."
        case .fbUsed: "Framebuffer memory used (in MiB)."
        case .fbReserved: "Framebuffer memory reserved (in MiB)."
        case .uncorrectableRemappedRows: "Number of remapped rows for uncorrectable errors"
        case .correctableRemappedRows: "Number of remapped rows for correctable errors"
        case .rowRemapFailure: "Whether remapping of rows has failed"
        case .fbTotal: "Framebuffer memory total (in MiB)."
        case .rowRemapPending: "Whether a row remap is pending (a GPU reset applies it)."
        case .eccSBEVolatile: "Total number of single-bit volatile ECC errors."
        case .eccDBEVolatile: "Total number of double-bit volatile ECC errors."
        case .eccSBEAggregate: "Total number of single-bit persistent ECC errors."
        case .eccDBEAggregate: "Total number of double-bit persistent ECC errors."
        case .retiredSBE: "Total number of retired pages due to single-bit errors."
        case .retiredDBE: "Total number of retired pages due to double-bit errors."
        case .retiredPending: "Total number of pages pending retirement."
        case .pcieLinkGen: "PCIe current link generation."
        case .pcieLinkWidth: "PCIe current link width."
        case .pcieMaxLinkGen: "PCIe max link generation."
        case .pcieMaxLinkWidth: "PCIe max link width."
        case .clockEventReasons: "Current clock event reasons (bitmask)."
        case .powerManagementLimit: "Power management limit (in W)."
        case .enforcedPowerLimit: "Effective power limit that the driver enforces (in W)."
        }
    }

    public var type: MetricType {
        switch self {
        case .energy, .pcieReplay, .uncorrectableRemappedRows, .correctableRemappedRows,
             .eccSBEVolatile, .eccDBEVolatile, .eccSBEAggregate, .eccDBEAggregate, .retiredSBE, .retiredDBE, .retiredPending:
            .counter
        default:
            .gauge
        }
    }

    /// `%f` for DCGM doubles (watts), `%d` for DCGM int64 fields, as dcgm-exporter prints them.
    public var format: ValueFormat {
        switch self {
        case .power, .powerManagementLimit, .enforcedPowerLimit: .fixed6
        default: .integer
        }
    }

    /// How often the field is read (see `Cadence`).
    public var cadence: Cadence {
        switch self {
        case .energy, .pcieReplay, .eccSBEVolatile, .eccDBEVolatile, .eccSBEAggregate, .eccDBEAggregate,
             .retiredSBE, .retiredDBE, .retiredPending, .uncorrectableRemappedRows, .correctableRemappedRows,
             .rowRemapFailure, .rowRemapPending, .powerManagementLimit, .enforcedPowerLimit:
            .counters
        case .pcieMaxLinkGen, .pcieMaxLinkWidth:
            .once
        case .xidErrors:
            .events
        default:
            .every
        }
    }

    /// The NVML call the value comes from (docs/AGENT.md lists the same).
    public var source: String {
        switch self {
        case .smClock: "nvmlDeviceGetClockInfo(NVML_CLOCK_SM)"
        case .memClock: "nvmlDeviceGetClockInfo(NVML_CLOCK_MEM)"
        case .memoryTemp: "nvmlDeviceGetFieldValues(NVML_FI_DEV_MEMORY_TEMP)"
        case .gpuTemp: "nvmlDeviceGetTemperature(NVML_TEMPERATURE_GPU)"
        case .power: "nvmlDeviceGetPowerUsage"
        case .energy: "nvmlDeviceGetTotalEnergyConsumption"
        case .pcieReplay: "nvmlDeviceGetPcieReplayCounter"
        case .gpuUtil, .memCopyUtil: "nvmlDeviceGetUtilizationRates"
        case .xidErrors: "nvmlEventSetWait_v2 (nvmlEventTypeXidCriticalError)"
        case .fbFree, .fbUsed, .fbTotal: "nvmlDeviceGetMemoryInfo_v2 (or nvmlDeviceGetMemoryInfo)"
        case .fbReserved: "nvmlDeviceGetMemoryInfo_v2"
        case .uncorrectableRemappedRows, .correctableRemappedRows, .rowRemapFailure, .rowRemapPending: "nvmlDeviceGetRemappedRows"
        case .eccSBEVolatile, .eccDBEVolatile, .eccSBEAggregate, .eccDBEAggregate: "nvmlDeviceGetTotalEccErrors"
        case .retiredSBE, .retiredDBE: "nvmlDeviceGetRetiredPages"
        case .retiredPending: "nvmlDeviceGetRetiredPagesPendingStatus"
        case .pcieLinkGen: "nvmlDeviceGetCurrPcieLinkGeneration"
        case .pcieLinkWidth: "nvmlDeviceGetCurrPcieLinkWidth"
        case .pcieMaxLinkGen: "nvmlDeviceGetMaxPcieLinkGeneration"
        case .pcieMaxLinkWidth: "nvmlDeviceGetMaxPcieLinkWidth"
        case .clockEventReasons: "nvmlDeviceGetCurrentClocksEventReasons (or …ClocksThrottleReasons)"
        case .powerManagementLimit: "nvmlDeviceGetPowerManagementLimit"
        case .enforcedPowerLimit: "nvmlDeviceGetEnforcedPowerLimit"
        }
    }
}

/// When a field is read.
///
/// NVML calls are not free on a real card (`shared/fixtures/h200-nvml/nvml-cost-load.json`): one
/// call of every getter costs 5.3 ms of CPU on an H200, 64 % of it the energy counter (3.4 ms)
/// and 130 µs the PCIe replay counter. Counters and limits change slowly or only matter as a rate
/// over minutes, so they are read on the slower `counters` cadence; the gauges a person watches
/// are read `every` sample.
public enum Cadence: Sendable {
    /// Every sample (`--interval`, default 1 s).
    case every
    /// Every `--counter-interval` (default 10 s): energy, PCIe replays, ECC, retired pages,
    /// remapped rows, power limits.
    case counters
    /// Once at start: properties of the board and slot.
    case once
    /// Pushed by NVML events (XID).
    case events
}
