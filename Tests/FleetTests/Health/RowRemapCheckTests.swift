import Fleet
import Testing

@Suite("RowRemapCheck")
struct RowRemapCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var values: [GPUField: Double]
        var expected: [ExpectedFinding]
        var testDescription: String { name }
    }

    @Test("row remapping", arguments: [
        Case(name: "real sample: no failure", values: [:], expected: []),
        Case(name: "failure is critical, RMA", values: [.rowRemapFailure: 1],
             expected: [ExpectedFinding(.critical, says: ["row remapping failed", "RMA"], action: .inspectHardware)]),
        Case(name: "pending is degraded, schedule a reset", values: [.rowRemapPending: 1],
             expected: [ExpectedFinding(.degraded, action: .scheduleReset)]),
        Case(name: "512 uncorrectable rows is degraded", values: [.uncorrectableRemappedRows: 512],
             expected: [ExpectedFinding(.degraded, says: ["512 rows", "degraded from 512"])]),
        Case(name: "511 uncorrectable rows is fine", values: [.uncorrectableRemappedRows: 511], expected: []),
        Case(name: "blank failure flag is not a failure", values: [.rowRemapFailure: Double(Int64.max - 13)], expected: []),
    ])
    func table(_ row: Case) {
        let findings = RowRemapCheck().evaluate(HealthFixture.node([HealthFixture.gpu(0, row.values)]), limits: .default)
        #expect(findingsMatch(findings, row.expected), "\(findings)")
    }
}
