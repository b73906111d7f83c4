import Fleet
import Testing

@Suite("MemoryCheck")
struct MemoryCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var values: [GPUField: Double]
        var expected: [ExpectedFinding]
        var testDescription: String { name }
    }

    @Test("idle vLLM note", arguments: [
        Case(name: "real sample: 1 MiB used at 0 %", values: [:], expected: []),
        Case(name: "90 % VRAM at 0 % is a healthy idle vLLM", values: [.fbUsed: 18_000, .fbFree: 1_543, .fbReserved: 457, .gpuUtil: 0],
             expected: [ExpectedFinding(.healthy, says: ["≈90 % VRAM at 0 % utilisation is a healthy idle vLLM: weights plus a reserved KV cache"], action: Action.none)]),
        Case(name: "90 % VRAM under load says nothing", values: [.fbUsed: 18_000, .fbFree: 1_543, .gpuUtil: 80], expected: []),
        Case(name: "70 % VRAM at 0 % says nothing", values: [.fbUsed: 14_000, .fbFree: 6_000, .gpuUtil: 0], expected: []),
        Case(name: "MIG: graphics engine activity stands in for utilisation",
             values: [.fbUsed: 9_000, .fbFree: 1_000, .fbReserved: 0, .gpuUtil: Double(Int64.max - 13), .grEngineActive: 0],
             expected: [ExpectedFinding(.healthy, says: ["≈90 % VRAM"])]),
    ])
    func table(_ row: Case) {
        let findings = MemoryCheck().evaluate(HealthFixture.node([HealthFixture.gpu(0, row.values)]), limits: .default)
        #expect(findingsMatch(findings, row.expected), "\(findings)")
        #expect(findings.allSatisfy(MemoryCheck.isIdleVLLM))
    }
}
