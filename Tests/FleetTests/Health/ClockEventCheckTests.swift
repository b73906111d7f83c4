import Fleet
import Testing

@Suite("ClockEventCheck")
struct ClockEventCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var reasons: Double?
        var expected: [ExpectedFinding]
        var testDescription: String { name }
    }

    @Test("clock event reason bits", arguments: [
        Case(name: "not collected (real sample)", reasons: nil, expected: []),
        Case(name: "idle and power cap are normal", reasons: Double(0x1 | 0x4), expected: []),
        Case(name: "HW_SLOWDOWN is degraded", reasons: 0x8,
             expected: [ExpectedFinding(.degraded, says: ["HW_SLOWDOWN (0x8)"], action: .inspectHardware)]),
        Case(name: "HW_THERMAL is degraded, check cooling", reasons: 0x40,
             expected: [ExpectedFinding(.degraded, says: ["HW_THERMAL (0x40)"], action: .checkCooling)]),
        Case(name: "HW_POWER_BRAKE is degraded", reasons: 0x80, expected: [ExpectedFinding(.degraded, says: ["HW_POWER_BRAKE"])]),
        Case(name: "SW_THERMAL is a note", reasons: 0x20, expected: [ExpectedFinding(.healthy, says: ["SW_THERMAL"], action: .watch)]),
        Case(name: "several bits, one finding each", reasons: Double(0x8 | 0x20 | 0x80),
             expected: [ExpectedFinding(.degraded, says: ["HW_SLOWDOWN"]), ExpectedFinding(.healthy, says: ["SW_THERMAL"]), ExpectedFinding(.degraded, says: ["HW_POWER_BRAKE"])]),
        Case(name: "blank is not a bitmask", reasons: Double(Int64.max - 13), expected: []),
    ])
    func table(_ row: Case) {
        let gpu = HealthFixture.gpu { $0.values[.clockEventReasons] = row.reasons }
        let findings = ClockEventCheck().evaluate(HealthFixture.node([gpu]), limits: .default)
        #expect(findingsMatch(findings, row.expected), "\(findings)")
    }

    @Test("the simulator's legacy series name maps to the field")
    func legacyName() {
        #expect(GPUField(seriesName: "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS") == .clockEventReasons)
        #expect(GPUField(seriesName: "DCGM_FI_DEV_CLOCKS_EVENT_REASONS") == .clockEventReasons)
    }

    @Test("the degrading mask is overridable")
    func mask() {
        var limits = HealthLimits.default
        limits.clockEventDegradedMask = 0x8 | 0x20
        let gpu = HealthFixture.gpu { $0.values[.clockEventReasons] = 0x20 }
        #expect(ClockEventCheck().evaluate(HealthFixture.node([gpu]), limits: limits).map(\.severity) == [.degraded])
    }
}
