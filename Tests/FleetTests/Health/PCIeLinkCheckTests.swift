import Fleet
import Testing

@Suite("PCIeLinkCheck")
struct PCIeLinkCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var values: [GPUField: Double]
        var replays: Double? = nil
        var expected: [ExpectedFinding]
        var testDescription: String { name }
    }

    static func link(gen: Double, width: Double, util: Double) -> [GPUField: Double] {
        [.pcieLinkGen: gen, .pcieLinkWidth: width, .pcieMaxLinkGen: 4, .pcieMaxLinkWidth: 16, .gpuUtil: util]
    }

    @Test("link against its maximum", arguments: [
        Case(name: "real sample: link fields not collected", values: [:], expected: []),
        Case(name: "full link under load", values: link(gen: 4, width: 16, util: 90), expected: []),
        Case(name: "lower gen at idle is power saving", values: link(gen: 1, width: 16, util: 0), expected: []),
        Case(name: "lower gen under load is degraded", values: link(gen: 2, width: 16, util: 72),
             expected: [ExpectedFinding(.degraded, says: ["Gen 2 of Gen 4 under load (72 % utilisation"], action: .inspectHardware)]),
        Case(name: "narrower link is degraded at any load", values: link(gen: 4, width: 8, util: 0),
             expected: [ExpectedFinding(.degraded, says: ["x8 of x16"])]),
        Case(name: "both under load", values: link(gen: 2, width: 8, util: 60),
             expected: [ExpectedFinding(.degraded, says: ["x8"]), ExpectedFinding(.degraded, says: ["Gen 2"])]),
        Case(name: "lower gen with unknown utilisation is not judged",
             values: [.pcieLinkGen: 2, .pcieLinkWidth: 16, .pcieMaxLinkGen: 4, .pcieMaxLinkWidth: 16, .gpuUtil: Double(Int64.max - 13)],
             expected: []),
        Case(name: "replays above DCGM's allowance", values: link(gen: 4, width: 16, util: 50), replays: 40,
             expected: [ExpectedFinding(.degraded, says: ["40 PCIe replays per minute", "above 16 per minute at Gen 4 x16"])]),
        Case(name: "replays within the allowance", values: link(gen: 4, width: 16, util: 50), replays: 16, expected: []),
    ])
    func table(_ row: Case) {
        let gpu = HealthFixture.gpu(0, row.values) { $0.pcieReplaysPerMinute = row.replays }
        let findings = PCIeLinkCheck().evaluate(HealthFixture.node([gpu]), limits: .default)
        #expect(findingsMatch(findings, row.expected), "\(findings)")
    }
}
