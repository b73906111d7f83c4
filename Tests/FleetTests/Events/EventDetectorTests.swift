import Fleet
import Foundation
import Testing

/// `EventDetector`: transitions between two snapshots of one node become occurrences; steady states
/// become continuations; a sticky XID gauge becomes nothing.
@Suite("EventDetector")
struct EventDetectorTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// A one-GPU node at `t0 + offset` seconds with `values` (plus a normal temperature).
    static func snapshot(
        at offset: TimeInterval, up: Bool? = true, values: [GPUField: Double] = [:], xid: [(TimeInterval, Double)] = [],
        xidBaseline: Double? = 0, xidCounts: [Int: Int]? = nil
    ) -> NodeSnapshot {
        let time = t0.addingTimeInterval(offset)
        var fields: [GPUField: Double] = [.gpuTemp: 50, .gpuUtil: 50, .fbUsed: 1000, .fbFree: 15000]
        fields.merge(values) { _, new in new }
        let gpu = GPUSnapshot(
            index: 0, uuid: "GPU-aaaa", values: up == false ? [:] : fields, lastSeen: time,
            xidHistory: xid.map { TimedValue(time: t0.addingTimeInterval($0.0), value: $0.1) },
            xidBaseline: xidBaseline, xidCounts: xidCounts)
        return NodeSnapshot(node: "n1", gpuClass: "h100-80", sampleTime: time, exporterUp: up, lastScrape: time,
                            expectedGPUCount: 1, gpus: [gpu])
    }

    static func detect(_ previous: NodeSnapshot?, _ current: NodeSnapshot) -> [EventOccurrence] {
        EventDetector().detect(previous: previous, current: current, health: HealthModel().evaluate(current))
    }

    @Test("an XID gauge change 0 → 79 is one onset with the catalogue meaning and the sample time")
    func xidChange() throws {
        let first = Self.snapshot(at: 60, xid: [(30, 0), (60, 0)])
        let second = Self.snapshot(at: 120, xid: [(30, 0), (60, 0), (90, 79), (120, 79)])
        let found = Self.detect(first, second)
        #expect(found.count == 1)
        let xid = try #require(found.first)
        #expect(xid.kind == .xid && xid.code == 79 && xid.isOnset && xid.count == 1)
        #expect(xid.meaning.contains("79"))
        #expect(xid.severity == .critical)
        #expect(xid.time == Self.t0.addingTimeInterval(90))
        #expect(xid.gpuUUID == "GPU-aaaa" && xid.gpuIndex == 0)
    }

    @Test("a gauge that stays at 79 yields nothing on the next poll")
    func xidSticky() {
        let second = Self.snapshot(at: 120, xid: [(60, 0), (90, 79), (120, 79)])
        let third = Self.snapshot(at: 180, xid: [(60, 0), (90, 79), (120, 79), (150, 79), (180, 79)])
        #expect(Self.detect(second, third).isEmpty)
    }

    @Test("without a previous snapshot, XID changes of the window are reported with their sample times")
    func xidFirstPoll() throws {
        let current = Self.snapshot(at: 120, xid: [(30, 0), (90, 79), (120, 79)])
        let found = Self.detect(nil, current)
        let xid = try #require(found.first)
        #expect(found.count == 1 && xid.time == Self.t0.addingTimeInterval(90))
    }

    @Test("a rising DCGM_EXP_XID_ERRORS_COUNT is an onset with the rise as count")
    func xidCountFamily() throws {
        let first = Self.snapshot(at: 60, xidCounts: [13: 1])
        let second = Self.snapshot(at: 120, xidCounts: [13: 4])
        let xid = try #require(Self.detect(first, second).first)
        #expect(xid.code == 13 && xid.count == 3 && xid.isOnset)
        #expect(Self.detect(second, second).isEmpty)
    }

    struct StateCase: Sendable, CustomTestStringConvertible {
        var name: String
        var before: [GPUField: Double]
        var after: [GPUField: Double]
        var kind: GPUEvent.Kind?
        var onset: Bool
        var code: Int? = nil
        var testDescription: String { name }
    }

    @Test("state transitions", arguments: [
        StateCase(name: "DBE counter increase", before: [.eccDBEVolatile: 0], after: [.eccDBEVolatile: 2], kind: .eccDBE, onset: true),
        StateCase(name: "DBE counter unchanged", before: [.eccDBEVolatile: 2], after: [.eccDBEVolatile: 2], kind: nil, onset: false),
        StateCase(name: "thermal enters critical", before: [.gpuTemp: 60], after: [.gpuTemp: 95], kind: .thermal, onset: true),
        StateCase(name: "thermal stays critical", before: [.gpuTemp: 95], after: [.gpuTemp: 96], kind: .thermal, onset: false),
        StateCase(name: "row remap failure 0 → 1", before: [.rowRemapFailure: 0], after: [.rowRemapFailure: 1], kind: .rowRemap, onset: true),
        StateCase(name: "row remap failure stays 1", before: [.rowRemapFailure: 1], after: [.rowRemapFailure: 1], kind: .rowRemap, onset: false),
        StateCase(name: "PCIe width drop", before: [.pcieLinkWidth: 16, .pcieLinkGen: 5], after: [.pcieLinkWidth: 8, .pcieLinkGen: 5], kind: .pcieLink, onset: true),
        StateCase(name: "PCIe generation drop", before: [.pcieLinkWidth: 16, .pcieLinkGen: 5], after: [.pcieLinkWidth: 16, .pcieLinkGen: 3], kind: .pcieLink, onset: true),
        StateCase(name: "HW slowdown bit appears", before: [.clockEventReasons: 0], after: [.clockEventReasons: 0x8], kind: .clockEvent, onset: true, code: 0x8),
        StateCase(name: "HW slowdown bit stays", before: [.clockEventReasons: 0x8], after: [.clockEventReasons: 0x8], kind: .clockEvent, onset: false, code: 0x8),
        StateCase(name: "idle and power-cap bits are normal", before: [.clockEventReasons: 0], after: [.clockEventReasons: 5], kind: nil, onset: false),
    ])
    func states(_ row: StateCase) throws {
        let found = Self.detect(Self.snapshot(at: 60, values: row.before), Self.snapshot(at: 120, values: row.after))
        guard let kind = row.kind else {
            #expect(found.isEmpty)
            return
        }
        #expect(found.count == 1)
        let occurrence = try #require(found.first)
        #expect(occurrence.kind == kind && occurrence.isOnset == row.onset && occurrence.code == row.code)
        #expect(occurrence.time == Self.t0.addingTimeInterval(120))
    }

    @Test("exporter up → down is a node-wide onset; staying down is a continuation")
    func exporterDown() throws {
        let up = Self.snapshot(at: 60)
        let down = Self.snapshot(at: 120, up: false)
        let onset = try #require(Self.detect(up, down).first { $0.kind == .exporterDown })
        #expect(onset.isOnset && onset.gpuIndex == nil && onset.severity == .unknown)
        let still = try #require(Self.detect(down, Self.snapshot(at: 180, up: false)).first { $0.kind == .exporterDown })
        #expect(!still.isOnset)
        #expect(Self.detect(down, Self.snapshot(at: 180)).isEmpty)
    }

    @Test("without a previous snapshot an ongoing state is a continuation, never an onset")
    func firstPollStates() {
        let current = Self.snapshot(at: 60, values: [.rowRemapFailure: 1, .clockEventReasons: 0x40])
        let found = Self.detect(nil, current)
        #expect(Set(found.map(\.kind)) == [.rowRemap, .clockEvent])
        #expect(found.allSatisfy { !$0.isOnset })
    }

    @Test("a healthy steady node yields nothing")
    func quiet() {
        #expect(Self.detect(Self.snapshot(at: 60), Self.snapshot(at: 120)).isEmpty)
    }

    @Test("the de-duplication key separates node, GPU, kind and code")
    func deduplicationKey() {
        let base = EventOccurrence(node: "n1", gpuUUID: "GPU-a", gpuIndex: 0, kind: .xid, code: 79, meaning: "m", severity: .critical, time: Self.t0)
        var other = base
        other.code = 48
        #expect(base.deduplicationKey != other.deduplicationKey)
        var later = base
        later.time = Self.t0.addingTimeInterval(10)
        #expect(base.deduplicationKey == later.deduplicationKey)
    }
}
