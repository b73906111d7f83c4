import Exposition

/// The DCGM fields the simulated exporter publishes, in output order, with the exporter's HELP
/// text (from dcgm-exporter's CSVs where the field is listed there) and value format.
///
/// The first 25 are exactly `default-counters.csv` in the order of the real scrape in
/// `Tests/Fixtures/dcgm-exporter-sample.prom`; the rest are fields an operator enables for GPU
/// health (ECC, SM activity, PCIe link, clock events, NVLink) plus `DCGM_EXP_XID_ERRORS_COUNT`.
enum DCGMField: Int, CaseIterable, Sendable {
    case smClock, memClock, memoryTemp, gpuTemp, power, energy, pcieReplay, gpuUtil, memCopyUtil, encUtil, decUtil
    case xidErrors, fbFree, fbUsed, fbReserved, uncorrectableRows, correctableRows, rowRemapFailure
    case nvlinkBandwidthTotal, vgpuLicense, grActive, tensorActive, dramActive, pcieTx, pcieRx
    case smActive, nvlinkRx, eccSBE, eccDBE, linkGen, linkWidth, maxLinkGen, maxLinkWidth, clockReasons, powerLimit
    case xidCount

    var name: String {
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
        case .encUtil: "DCGM_FI_DEV_ENC_UTIL"
        case .decUtil: "DCGM_FI_DEV_DEC_UTIL"
        case .xidErrors: "DCGM_FI_DEV_XID_ERRORS"
        case .fbFree: "DCGM_FI_DEV_FB_FREE"
        case .fbUsed: "DCGM_FI_DEV_FB_USED"
        case .fbReserved: "DCGM_FI_DEV_FB_RESERVED"
        case .uncorrectableRows: "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS"
        case .correctableRows: "DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS"
        case .rowRemapFailure: "DCGM_FI_DEV_ROW_REMAP_FAILURE"
        case .nvlinkBandwidthTotal: "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL"
        case .vgpuLicense: "DCGM_FI_DEV_VGPU_LICENSE_STATUS"
        case .grActive: "DCGM_FI_PROF_GR_ENGINE_ACTIVE"
        case .tensorActive: "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE"
        case .dramActive: "DCGM_FI_PROF_DRAM_ACTIVE"
        case .pcieTx: "DCGM_FI_PROF_PCIE_TX_BYTES"
        case .pcieRx: "DCGM_FI_PROF_PCIE_RX_BYTES"
        case .smActive: "DCGM_FI_PROF_SM_ACTIVE"
        case .nvlinkRx: "DCGM_FI_PROF_NVLINK_RX_BYTES"
        case .eccSBE: "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL"
        case .eccDBE: "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL"
        case .linkGen: "DCGM_FI_DEV_PCIE_LINK_GEN"
        case .linkWidth: "DCGM_FI_DEV_PCIE_LINK_WIDTH"
        case .maxLinkGen: "DCGM_FI_DEV_PCIE_MAX_LINK_GEN"
        case .maxLinkWidth: "DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH"
        case .clockReasons: "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS"
        case .powerLimit: "DCGM_FI_DEV_POWER_MGMT_LIMIT"
        case .xidCount: "DCGM_EXP_XID_ERRORS_COUNT"
        }
    }

    var help: String {
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
        case .encUtil: "Encoder utilization (in %)."
        case .decUtil: "Decoder utilization (in %)."
        case .xidErrors: "Value of the last XID error encountered."
        case .fbFree: "Framebuffer memory free (in MiB)."
        case .fbUsed: "Framebuffer memory used (in MiB)."
        case .fbReserved: "Framebuffer memory reserved (in MiB)."
        case .uncorrectableRows: "Number of remapped rows for uncorrectable errors"
        case .correctableRows: "Number of remapped rows for correctable errors"
        case .rowRemapFailure: "Whether remapping of rows has failed"
        case .nvlinkBandwidthTotal: "Total number of NVLink bandwidth counters for all lanes."
        case .vgpuLicense: "vGPU License status"
        case .grActive: "Ratio of time the graphics engine is active."
        case .tensorActive: "Ratio of cycles the tensor (HMMA) pipe is active."
        case .dramActive: "Ratio of cycles the device memory interface is active sending or receiving data."
        case .pcieTx: "The rate of data transmitted over the PCIe bus - including both protocol headers and data payloads - in bytes per second."
        case .pcieRx: "The rate of data received over the PCIe bus - including both protocol headers and data payloads - in bytes per second."
        case .smActive: "The ratio of cycles an SM has at least 1 warp assigned."
        case .nvlinkRx: "The rate of data received over NVLink, not including protocol headers, in bytes per second."
        case .eccSBE: "Total number of single-bit volatile ECC errors."
        case .eccDBE: "Total number of double-bit volatile ECC errors."
        case .linkGen: "PCIe current link generation."
        case .linkWidth: "PCIe current link width."
        case .maxLinkGen: "PCIe max link generation."
        case .maxLinkWidth: "PCIe max link width."
        case .clockReasons: "Current clock throttle reasons."
        case .powerLimit: "Power management limit (in W)."
        case .xidCount: "reported XIDs during last window"
        }
    }

    var type: MetricType {
        switch self {
        case .energy, .pcieReplay, .uncorrectableRows, .correctableRows, .nvlinkBandwidthTotal, .eccSBE, .eccDBE, .xidCount:
            .counter
        default:
            .gauge
        }
    }

    /// `%f` for DCGM doubles, `%d` for DCGM int64 fields.
    var format: ValueFormat {
        switch self {
        case .power, .powerLimit, .grActive, .tensorActive, .dramActive, .smActive: .fixed6
        default: .integer
        }
    }

    /// The field's value in `reading` (not used for `.xidCount`, which has one series per XID).
    func value(_ reading: GPUReading) -> Double {
        switch self {
        case .smClock: reading.smClock
        case .memClock: reading.memClock
        case .memoryTemp: reading.memoryTemp
        case .gpuTemp: reading.gpuTemp
        case .power: reading.power
        case .energy: reading.energy
        case .pcieReplay: reading.pcieReplays
        case .gpuUtil: reading.gpuUtil
        case .memCopyUtil: reading.memCopyUtil
        case .encUtil, .decUtil, .vgpuLicense, .rowRemapFailure: 0
        case .xidErrors: Double(reading.xid)
        case .fbFree: reading.fbFree
        case .fbUsed: reading.fbUsed
        case .fbReserved: reading.fbReserved
        case .uncorrectableRows: reading.uncorrectableRows
        case .correctableRows: reading.correctableRows
        case .nvlinkBandwidthTotal: reading.nvlinkTotal
        case .grActive: reading.grActive
        case .tensorActive: reading.tensorActive
        case .dramActive: reading.dramActive
        case .pcieTx: reading.pcieTx
        case .pcieRx: reading.pcieRx
        case .smActive: reading.smActive
        case .nvlinkRx: reading.nvlinkRx
        case .eccSBE: reading.sbe
        case .eccDBE: reading.dbe
        case .linkGen: reading.linkGen
        case .linkWidth: reading.linkWidth
        case .maxLinkGen: reading.maxLinkGen
        case .maxLinkWidth: reading.maxLinkWidth
        case .clockReasons: reading.clockReasons
        case .powerLimit: reading.powerLimit
        case .xidCount: 0
        }
    }

    /// Fields by exporter name.
    static let byName: [String: DCGMField] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })
}
