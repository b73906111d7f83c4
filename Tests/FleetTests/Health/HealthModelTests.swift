import Fleet
import Foundation
import Testing

@Suite("HealthModel")
struct HealthModelTests {
    let model = HealthModel()

    static func full(_ index: GPUIndex, _ changes: [GPUField: Double] = [:]) -> GPUSnapshot {
        var gpu = SeriesPresenceCheckTests.full(index)
        gpu.values.merge(changes) { _, new in new }
        return gpu
    }

    struct RollUp: CustomTestStringConvertible, Sendable {
        var name: String
        var node: NodeSnapshot
        var status: Severity
        var gpuStatuses: [Severity]
        var testDescription: String { name }
    }

    static let xid79: GPUSnapshot = {
        var gpu = GPUSnapshot(index: 0, uuid: "GPU-0", lastSeen: HealthFixture.ago(60))
        gpu.xidHistory = [TimedValue(time: HealthFixture.ago(120), value: 0), TimedValue(time: HealthFixture.ago(90), value: 79), TimedValue(time: HealthFixture.ago(60), value: 79)]
        gpu.xidBaseline = 0
        return gpu
    }()

    @Test("roll-ups: worst wins, Unknown is never Healthy", arguments: [
        RollUp(name: "all fine", node: HealthFixture.node([full(0), full(1)]), status: .healthy, gpuStatuses: [.healthy, .healthy]),
        RollUp(name: "one critical GPU makes the node critical", node: HealthFixture.node([full(0), full(1, [.gpuTemp: 95])]),
               status: .critical, gpuStatuses: [.healthy, .critical]),
        RollUp(name: "degraded beats healthy", node: HealthFixture.node([full(0, [.clockEventReasons: 8]), full(1)]),
               status: .degraded, gpuStatuses: [.degraded, .healthy]),
        RollUp(name: "exporter down: every GPU unknown", node: HealthFixture.node([full(0), full(1)], up: false),
               status: .unknown, gpuStatuses: [.unknown, .unknown]),
        RollUp(name: "no target and no GPUs: unknown", node: HealthFixture.node([], expected: 2, up: nil, lastScrape: nil),
               status: .unknown, gpuStatuses: [.unknown, .unknown]),
        RollUp(name: "one GPU absent, the other fine: unknown, not healthy", node: HealthFixture.node([full(1)], expected: 2),
               status: .unknown, gpuStatuses: [.unknown, .healthy]),
        RollUp(name: "absent GPU plus a degraded one: degraded (a known fault outranks missing data)",
               node: HealthFixture.node([full(1, [.clockEventReasons: 8])], expected: 2), status: .degraded, gpuStatuses: [.unknown, .degraded]),
        RollUp(name: "2-GPU box, GPU 0 reported XID 79 then vanished: critical",
               node: HealthFixture.node([xid79, full(1)], expected: 2), status: .critical, gpuStatuses: [.critical, .healthy]),
        RollUp(name: "exporter down but XID 79 in the window: critical", node: HealthFixture.node([xid79], expected: 1, up: false),
               status: .critical, gpuStatuses: [.critical]),
        RollUp(name: "healthy notes do not change the state", node: HealthFixture.node([ExporterSample.gpu(0)]),
               status: .healthy, gpuStatuses: [.healthy]),
    ])
    func rollUp(_ row: RollUp) {
        let health = model.evaluate(row.node)
        #expect(health.status == row.status, "\(health.findings)")
        #expect(health.gpus.map(\.status) == row.gpuStatuses, "\(health.findings)")
    }

    @Test("the XID-79 box explains both facts about GPU 0")
    func xid79Findings() throws {
        let health = model.evaluate(HealthFixture.node([Self.xid79, Self.full(1)], expected: 2))
        let gpu0 = try #require(health.gpus.first)
        #expect(gpu0.findings.map(\.signal) == [.xid, .presence])
        #expect(gpu0.findings.first?.reason.contains("XID 79 (GPU has fallen off the bus) on GPU 0 at 2026-05-12T11:58:30Z") == true)
        #expect(health.summary.hasPrefix("XID 79"))
        #expect(gpu0.unavailableFields == GPUField.allCases)
    }

    @Test("findings are sorted by severity, then node-wide first, then GPU")
    func ordering() {
        let node = HealthFixture.node([ExporterSample.gpu(0), Self.full(1, [.gpuTemp: 92]), Self.full(2, [.clockEventReasons: 0x40])], expected: 4)
        let findings = model.evaluate(node).findings
        #expect(findings.map(\.severity) == [.critical, .degraded, .unknown, .healthy, .healthy, .healthy])
        #expect(findings.map(\.gpu) == [1, 2, 3, 0, 0, 0])
        #expect(findings == findings.sorted(by: Finding.displayOrder))
    }

    @Test("idle vLLM is flagged and healthy")
    func idleVLLM() throws {
        let node = HealthFixture.node([Self.full(0, [.fbUsed: 18_000, .fbFree: 1_543, .gpuUtil: 0])])
        let health = model.evaluate(node)
        #expect(health.status == .healthy)
        let gpu = try #require(health.gpus.first)
        #expect(gpu.idleVLLM)
        #expect(gpu.findings.first?.reason.contains("healthy idle vLLM") == true)
    }

    @Test("missing ECC reads not collected, never 0")
    func eccNotCollected() throws {
        let health = model.evaluate(HealthFixture.node([ExporterSample.gpu(0)]))
        let ecc = try #require(health.findings.first { $0.signal == .ecc })
        #expect(ecc.severity == .healthy)
        #expect(ecc.reason.contains("not collected"))
        #expect(!ecc.reason.contains(" 0 "))
        #expect(health.gpus.first?.unavailableFields.contains(.eccDBEVolatile) == true)
        #expect(health.gpus.first?.unavailableFields.contains(.memoryTemp) == true)  // GDDR: 0 is no reading
        #expect(health.gpus.first?.unavailableFields.contains(.gpuTemp) == false)
    }

    @Test("the page pill is the worst node, Unknown when there are none")
    func pill() {
        let healthy = model.evaluate(HealthFixture.node([Self.full(0)]))
        let unknown = model.evaluate(HealthFixture.node([Self.full(0)], up: false))
        let critical = model.evaluate(HealthFixture.node([Self.full(0, [.rowRemapFailure: 1])]))
        #expect(FleetHealth.pill(nodes: []) == .unknown)
        #expect(FleetHealth.pill(nodes: [healthy]) == .healthy)
        #expect(FleetHealth.pill(nodes: [healthy, unknown]) == .unknown)
        #expect(FleetHealth.pill(nodes: [healthy, unknown, critical]) == .critical)
        #expect(FleetHealth.counts(nodes: [healthy, unknown, critical]) == [.healthy: 1, .unknown: 1, .critical: 1])
    }

    @Test("a healthy node's summary says what was checked")
    func summary() {
        #expect(model.evaluate(HealthFixture.node([Self.full(0), Self.full(1)])).summary == "All 2 GPUs were checked and are healthy")
    }

    @Test("Severity order and roll-up of nothing")
    func severityOrder() {
        #expect(Severity.healthy < .unknown && Severity.unknown < .degraded && Severity.degraded < .critical)
        #expect(Severity.worst([]) == .unknown)
        #expect(Severity.worst([.healthy, .unknown]) == .unknown)
    }
}
