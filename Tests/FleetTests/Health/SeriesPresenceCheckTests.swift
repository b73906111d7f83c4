import Fleet
import Foundation
import Testing

@Suite("SeriesPresenceCheck")
struct SeriesPresenceCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var node: NodeSnapshot
        var expected: [ExpectedFinding]
        var testDescription: String { name }
    }

    /// A GPU with every checked field collected, so only the case's own problem shows.
    static func full(_ index: GPUIndex, lastSeen: Date? = HealthFixture.now) -> GPUSnapshot {
        HealthFixture.gpu(index, [.eccDBEVolatile: 0, .pcieLinkGen: 4, .pcieLinkWidth: 16, .pcieMaxLinkGen: 4, .pcieMaxLinkWidth: 16, .clockEventReasons: 1]) {
            $0.lastSeen = lastSeen
        }
    }

    static let cases: [Case] = [
        Case(name: "everything collected and fresh", node: HealthFixture.node([full(0), full(1)]), expected: []),
        Case(name: "exporter down is one node-wide unknown", node: HealthFixture.node([full(0)], up: false, lastScrape: HealthFixture.ago(300)),
             expected: [ExpectedFinding(.unknown, gpu: nil, says: ["dcgm-exporter on n1 is down (up = 0)", "2026-05-12T11:55:00Z (5 min ago)"], action: .checkExporter)]),
        Case(name: "no target is unknown", node: HealthFixture.node([], up: nil, lastScrape: nil),
             expected: [ExpectedFinding(.unknown, gpu: nil, says: ["no dcgm-exporter target"])]),
        Case(name: "stale node data is unknown", node: HealthFixture.node([full(0)], lastScrape: HealthFixture.ago(600)),
             expected: [ExpectedFinding(.unknown, gpu: nil, says: ["10 min old (stale after 2 min)"])]),
        Case(name: "stale GPU is unknown", node: HealthFixture.node([full(0), full(1, lastSeen: HealthFixture.ago(180))]),
             expected: [ExpectedFinding(.unknown, gpu: 1, says: ["3 min old"])]),
        Case(name: "no GPUs reported is unknown", node: HealthFixture.node([], expected: 2),
             expected: [ExpectedFinding(.unknown, gpu: nil, says: ["reports no GPUs (the inventory expects 2)"])]),
        Case(name: "a GPU the inventory expects is absent", node: HealthFixture.node([full(0)], expected: 2),
             expected: [ExpectedFinding(.unknown, gpu: 1, says: ["GPU 1 is absent", "expects 2 GPUs, 1 reported"])]),
        Case(name: "an absent GPU the history knows says when it was last seen",
             node: HealthFixture.node([GPUSnapshot(index: 0, lastSeen: HealthFixture.ago(90)), full(1)], expected: 2),
             expected: [ExpectedFinding(.unknown, gpu: 0, says: ["last seen at 2026-05-12T11:58:30Z"])]),
        Case(name: "real sample (default CSV): ECC, PCIe and clock events not collected, node-wide",
             node: HealthFixture.node([ExporterSample.gpu(0)]),
             expected: [
                ExpectedFinding(.healthy, gpu: nil, says: ["ECC not collected on any GPU of n1", "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "never as 0"], action: .enableField),
                ExpectedFinding(.healthy, gpu: nil, says: ["DCGM_FI_DEV_PCIE_LINK_GEN, DCGM_FI_DEV_PCIE_LINK_WIDTH, DCGM_FI_DEV_PCIE_MAX_LINK_GEN, DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH"]),
                ExpectedFinding(.healthy, gpu: nil, says: ["DCGM_FI_DEV_CLOCKS_EVENT_REASONS"]),
             ]),
        Case(name: "a field missing on one GPU only is reported for that GPU",
             node: HealthFixture.node([full(0), HealthFixture.gpu(1) { $0 = full(1); $0.values[.eccDBEVolatile] = nil }]),
             expected: [ExpectedFinding(.healthy, gpu: 1, says: ["ECC not collected on GPU 1"])]),
        Case(name: "a blank is reported as not supported",
             node: HealthFixture.node([HealthFixture.gpu(0) { $0 = full(0); $0.values[.rowRemapFailure] = Double(Int64.max - 13) }]),
             expected: [ExpectedFinding(.healthy, gpu: nil, says: ["DCGM_FI_DEV_ROW_REMAP_FAILURE only as a DCGM blank"])]),
        Case(name: "the XID count family stands in for the gauge",
             node: HealthFixture.node([HealthFixture.gpu(0) { $0 = full(0); $0.values[.xidErrors] = nil; $0.xidCounts = [:] }]),
             expected: []),
    ]

    @Test("data presence", arguments: cases)
    func table(_ row: Case) {
        let findings = SeriesPresenceCheck().evaluate(row.node, limits: .default)
        #expect(findingsMatch(findings, row.expected), "\(findings)")
    }
}
