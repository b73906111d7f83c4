/// Clock event (throttle) reasons, from the `DCGM_FI_DEV_CLOCKS_EVENT_REASONS` bitmask (NVML's).
///
/// Bits in `clockEventDegradedMask` (default HW_SLOWDOWN 0x8, HW_THERMAL 0x40, HW_POWER_BRAKE 0x80:
/// the hardware cutting clocks by half or more) → Degraded, one finding per bit. SW_THERMAL (0x20,
/// approaching the thermal limit) is a healthy note (action: watch), since the thermal check judges
/// the temperature itself. Idle, application clocks, power cap, sync boost and display clocks are
/// normal operation and yield nothing.
///
/// Sources: issue 5 (HW slowdown / HW thermal / power brake → degraded); metrics.md §5 (bit table),
/// §4.3 (gpud hw-slowdown).
public struct ClockEventCheck: HealthCheck {
    public init() {}

    /// The reasons the check names: bit, NVML name, what it means, what to do.
    struct Bit: Sendable {
        var mask: UInt64
        var name: String
        var meaning: String
        var action: Action
    }

    static let bits: [Bit] = [
        Bit(mask: 0x8, name: "HW_SLOWDOWN", meaning: "the hardware cut clocks by half or more (temperature, power brake or excess draw)", action: .inspectHardware),
        Bit(mask: 0x20, name: "SW_THERMAL", meaning: "the driver lowered clocks to stay under the thermal limit", action: .watch),
        Bit(mask: 0x40, name: "HW_THERMAL", meaning: "the hardware cut clocks because the GPU is too hot", action: .checkCooling),
        Bit(mask: 0x80, name: "HW_POWER_BRAKE", meaning: "an external power brake is asserted (power supply or facility)", action: .inspectHardware),
    ]

    public func evaluate(_ snapshot: NodeSnapshot, limits: HealthLimits) -> [Finding] {
        snapshot.presentGPUs.flatMap { gpu -> [Finding] in
            guard let value = gpu[.clockEventReasons], value >= 0, value < 9_007_199_254_740_992, value.rounded() == value else { return [] }
            let reasons = UInt64(value)
            let degrading = UInt64(max(0, limits.resolved(forClass: snapshot.classID(of: gpu)).clockEventDegradedMask))
            return Self.bits.compactMap { bit -> Finding? in
                guard reasons & bit.mask != 0 else { return nil }
                let hex = "0x" + String(bit.mask, radix: 16)
                if degrading & bit.mask != 0 {
                    return Finding(
                        signal: .clockEvents, severity: .degraded, gpu: gpu.index,
                        reason: "GPU \(gpu.index) clocks held down by \(bit.name) (\(hex)): \(bit.meaning)",
                        action: bit.action)
                }
                return Finding(
                    signal: .clockEvents, severity: .healthy, gpu: gpu.index,
                    reason: "GPU \(gpu.index) clock event \(bit.name) (\(hex)): \(bit.meaning)",
                    action: .watch)
            }
        }
    }
}
