/// What happens at a scenario step. Each case documents its signature in the exporter output.
public enum ScenarioEvent: Sendable, Hashable {
    /// GPU temperature ramps (linearly over `ramp` seconds) to `celsius` and stays there. At 88 °C
    /// and above the SW_THERMAL clock-event bit (0x20) is set.
    case thermal(celsius: Double, ramp: Double)
    /// An XID: `DCGM_FI_DEV_XID_ERRORS` becomes `code` (sticky, as the exporter's last-value
    /// gauge is) and `DCGM_EXP_XID_ERRORS_COUNT{xid="<code>"}` counts it for 5 minutes.
    case xid(code: Int)
    /// The GPU falls off the bus: from then on every series of that GPU is absent.
    case fallOffBus
    /// One double-bit ECC error: `ECC_DBE_VOL_TOTAL` +1, `UNCORRECTABLE_REMAPPED_ROWS` +1 and XID 48.
    case eccDoubleBit
    /// `count` single-bit ECC errors: `ECC_SBE_VOL_TOTAL` +count.
    case eccSingleBit(count: Int)
    /// The PCIe link trains down to `gen` / `width` (default: two generations and half the lanes
    /// below the maximum); `PCIE_REPLAY_COUNTER` starts climbing.
    case pcieDowngrade(gen: Int?, width: Int?)
    /// Clock-event bits OR-ed into `CLOCK_THROTTLE_REASONS` for `duration` seconds (forever when
    /// `nil`); a hardware slowdown also halves the SM clock.
    case clockEvent(mask: UInt64, duration: Double?)
    /// The node's exporter stops publishing these fields (node-wide; `gpu` is ignored).
    case missingFields([String])
    /// The node's exporters (DCGM and vLLM) answer 503 for `duration` seconds (forever when
    /// `nil`), repeating every `every` seconds when set. Node-wide.
    case exporterDown(duration: Double?, every: Double?)
    /// The node's load changes to `profile` (node-wide).
    case workload(WorkloadProfile)

    /// The YAML `event:` word.
    public var keyword: String {
        switch self {
        case .thermal: "thermal"
        case .xid: "xid"
        case .fallOffBus: "fall-off-bus"
        case .eccDoubleBit: "ecc-dbe"
        case .eccSingleBit: "ecc-sbe"
        case .pcieDowngrade: "pcie-downgrade"
        case .clockEvent: "clock-event"
        case .missingFields: "missing-fields"
        case .exporterDown: "exporter-down"
        case .workload: "workload"
        }
    }

    /// `true` for events that apply to the node rather than to GPUs.
    public var isNodeWide: Bool {
        switch self {
        case .missingFields, .exporterDown, .workload: true
        case .thermal, .xid, .fallOffBus, .eccDoubleBit, .eccSingleBit, .pcieDowngrade, .clockEvent: false
        }
    }

    /// Fields the stock dcgm-exporter CSVs leave out and `missing-fields` drops by default: the
    /// ECC counters and SM activity (commented out in `default-counters.csv`).
    public static let stockMissingFields = [
        "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "DCGM_FI_PROF_SM_ACTIVE",
    ]
}
