import Fleet
import Testing

@Suite("ECCCheck")
struct ECCCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var now: Double?
        var start: Double?
        var expected: [ExpectedFinding]
        var testDescription: String { name }
    }

    @Test("double-bit ECC errors", arguments: [
        Case(name: "not collected (real sample): nothing here", now: nil, start: nil, expected: []),
        Case(name: "zero", now: 0, start: 0, expected: []),
        Case(name: "increase in the window is critical", now: 1, start: 0,
             expected: [ExpectedFinding(.critical, says: ["1 new double-bit (uncorrectable) ECC error in the last 1 h", "critical on any increase"], action: .resetGPU)]),
        Case(name: "counter reset (driver reload) then new errors", now: 2, start: 5,
             expected: [ExpectedFinding(.critical, says: ["2 new double-bit"])]),
        Case(name: "old errors, no increase: degraded", now: 3, start: 3,
             expected: [ExpectedFinding(.degraded, says: ["3 double-bit ECC errors since the driver loaded, none new"], action: .scheduleReset)]),
        Case(name: "no window start: degraded, says so", now: 1, start: nil,
             expected: [ExpectedFinding(.degraded, says: ["no history"])]),
        Case(name: "blank counter is not a reading", now: Double(Int64.max - 13), start: 0, expected: []),
    ])
    func table(_ row: Case) {
        let gpu = HealthFixture.gpu { gpu in
            gpu.values[.eccDBEVolatile] = row.now
            gpu.eccDBEAtWindowStart = row.start
        }
        let findings = ECCCheck().evaluate(HealthFixture.node([gpu]), limits: .default)
        #expect(findingsMatch(findings, row.expected), "\(findings)")
    }
}
