@testable import Factory
import Fleet
import Foundation
import Logging
import PrometheusClient
import Store
import Testing

/// An enrolled agent silent for three heartbeat intervals makes its node Unknown, in the overview,
/// the summary and the node detail alike.
@Suite("Agent silence")
struct AgentSilenceTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// One healthy-looking GPU per node, `acme-2` (the enrolled node) included.
    static func answers(_ text: String) -> QueryResult {
        let nodes = ["acme-1", "acme-2"].filter { text.contains("\"\($0)\"") || !text.contains("node=") }
        func gpu(_ node: String, _ extra: [String: String] = [:]) -> [String: String] {
            ["node": node, "gpu": "0", "UUID": "GPU-\(node)", "Hostname": "\(node).example"].merging(extra) { _, new in new }
        }
        if text.hasPrefix("up{") { return .vector(nodes.map { FakeMetrics.sample(1, gpu($0)) }) }
        if text.contains("__name__=~") && text.contains("DCGM_FI_DEV_GPU_TEMP") {
            return .vector(nodes.map { FakeMetrics.sample(52, gpu($0, ["__name__": "DCGM_FI_DEV_GPU_TEMP"])) })
        }
        if text.hasPrefix("timestamp(") { return .vector(nodes.map { FakeMetrics.sample(1_800_000_000, gpu($0)) }) }
        return .vector([])
    }

    /// Enrols `acme-2` for acme, its agent last seen at `lastSeen` with a 30 s interval.
    static func enrol(_ world: World, lastSeen: Date) async throws {
        let (_, token) = try await world.store.createEnrolmentToken(
            tenant: "acme", pool: nil, createdBy: "test", expiresAt: now.addingTimeInterval(86_400), audit: nil)
        var node = World.node("acme-2", .dedicated(tenant: "acme"))
        node.vllmAddress = nil
        node.vllmPath = nil
        _ = try await world.store.redeemEnrolmentToken(token, node: node, agentVersion: "0.1.0", heartbeatSeconds: 30, now: lastSeen)
    }

    static func states(_ model: ReadModel, _ caller: Caller) async throws -> (overview: FactoryOverview.NodeCard, summary: String, detail: NodeDetail) {
        let overview = try await model.overview(caller, logger: Logger(label: "test"))
        let card = try #require(overview.nodes?.first { $0.id == "acme-2" })
        let summary = try await model.summary(caller)
        let summaryNode = try #require(summary.nodes?.first { $0.id == "acme-2" })
        let detail = try await model.nodeDetail(caller, node: "acme-2", logger: Logger(label: "test"))
        return (card, summaryNode.health, detail)
    }

    @Test("a heartbeat within three intervals keeps the node's health; past them the node is Unknown: agent silent since …")
    func silence() async throws {
        let world = try await World.make()
        try await Self.enrol(world, lastSeen: Self.now.addingTimeInterval(-60))
        let model = world.readModel(FakeMetrics(answer: Self.answers))
        let caller = world.caller("acme-admin")

        let fresh = try await Self.states(model, caller)
        let handRegistered = try #require(try await model.overview(caller, logger: Logger(label: "test")).nodes?.first { $0.id == "acme-1" })
        #expect(fresh.overview.health == handRegistered.health)
        #expect(fresh.overview.health == Severity.healthy.rawValue, "\(fresh.overview.summary)")
        #expect(!fresh.overview.findings.contains { $0.signal == .agent })
        #expect(fresh.overview.agentVersion == "0.1.0")
        #expect(fresh.overview.agentLastSeen == Self.now.addingTimeInterval(-60))

        // 91 s > 3 × 30 s: silent. The heartbeat is read from the inventory, not the telemetry cache.
        try await world.store.recordHeartbeat(node: "acme-2", agentVersion: "0.1.0", intervalSeconds: 30, now: Self.now.addingTimeInterval(-91))
        let silent = try await Self.states(model, caller)
        #expect(silent.overview.health == Severity.unknown.rawValue)
        #expect(silent.overview.summary.hasPrefix("agent silent since "), "\(silent.overview.summary)")
        #expect(silent.overview.findings.contains { $0.signal == .agent && $0.severity == .unknown })
        #expect(silent.summary == Severity.unknown.rawValue)
        #expect(silent.detail.card.health == Severity.unknown.rawValue)
        #expect(silent.detail.card.summary == silent.overview.summary)
        // The hand-registered node, with the same metrics, is unaffected.
        let other = try #require(try await model.overview(caller, logger: Logger(label: "test")).nodes?.first { $0.id == "acme-1" })
        #expect(other.health == Severity.healthy.rawValue)
        await world.close()
    }

    @Test("silence never hides a worse finding", arguments: [Severity.degraded, .critical])
    func worseKept(severity: Severity) {
        let agent = NodeAgent(version: "1", lastSeen: Self.now.addingTimeInterval(-1000), intervalSeconds: 10)
        let finding = Finding(signal: .xid, severity: severity, gpu: 0, reason: "XID 79", action: .drain)
        let health = NodeHealth(node: "n", sampleTime: Self.now, status: severity, summary: "XID 79", gpus: [], findings: [finding])
        let applied = AgentSilenceCheck.apply(health, agent: agent, now: Self.now)
        #expect(applied.status == severity)
        #expect(applied.summary == "XID 79")
        #expect(applied.findings.count == 2)
        #expect(AgentSilenceCheck.apply(health, agent: nil, now: Self.now) == health)
    }
}
