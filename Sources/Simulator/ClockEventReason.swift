/// Bits of `DCGM_FI_DEV_CLOCK_THROTTLE_REASONS` (NVML's clock event reasons), by the names
/// dcgm-exporter uses for `DCGM_EXP_CLOCK_EVENTS_COUNT{clock_event=…}`.
public enum ClockEventReason: String, Sendable, Hashable, CaseIterable {
    case gpuIdle = "gpu_idle"
    case clocksSetting = "clocks_setting"
    case swPowerCap = "power_cap"
    case hwSlowdown = "hw_slowdown"
    case syncBoost = "sync_boost"
    case swThermal = "sw_thermal"
    case hwThermal = "hw_thermal"
    case hwPowerBrake = "hw_power_brake"
    case displayClocks = "display_clocks"

    /// The bit in the NVML bitmask.
    public var mask: UInt64 {
        switch self {
        case .gpuIdle: 0x1
        case .clocksSetting: 0x2
        case .swPowerCap: 0x4
        case .hwSlowdown: 0x8
        case .syncBoost: 0x10
        case .swThermal: 0x20
        case .hwThermal: 0x40
        case .hwPowerBrake: 0x80
        case .displayClocks: 0x100
        }
    }

    /// Bits that cut clocks hard (≥ 2×): hardware slowdown, hardware thermal, power brake.
    public static let hardwareSlowdownMask: UInt64 = 0x8 | 0x40 | 0x80
}
