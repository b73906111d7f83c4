import Fleet
import Foundation
@testable import Store
import Testing

/// Diagnostic runs, on SQLite and PostgreSQL alike: one active run per node even under a race,
/// the states, the output cap and the sweep.
@Suite("Diagnostic run store")
struct DiagnosticRunStoreTests {
    static func node(_ name: String) -> NodeRecord {
        NodeRecord(name: name, host: "\(name).lab", dcgmAddress: "\(name).lab:9400", gpuModel: "NVIDIA H200", gpuCount: 8,
                   gpuMemoryMiB: 143_771, gpuClass: "h200-141", holding: .dedicated(tenant: "acme"))
    }

    static func create(_ store: any Store, node: String = "h200-a", level: Int = 1, now: Date = Date()) async throws -> DiagnosticRunRecord {
        try await store.createDiagnosticRun(
            tenant: "acme", node: node, kind: "dcgm", level: level, requestedBy: "u_1", acknowledged: level > 1,
            timeoutSeconds: 300, gpus: 8, drain: false, audit: AuditNote(actor: "admin", action: "diagnostics.start"), now: now)
    }

    @Test("one active run per node, even when two servers race; the queue → running → ended path", arguments: Backend.allCases)
    func lifecycle(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            _ = try await store.registerNode(Self.node("h200-a"))
            _ = try await store.registerNode(Self.node("h200-b"))

            func attempt() async -> Result<DiagnosticRunRecord, any Error> {
                do { return .success(try await Self.create(store)) } catch { return .failure(error) }
            }
            async let first = attempt()
            async let second = attempt()
            let results = await [first, second]
            let created = results.compactMap { try? $0.get() }
            #expect(created.count == 1, "exactly one of two racing starts wins: \(results)")
            let run = try #require(created.first)
            for case .failure(let error) in results {
                guard case StoreError.duplicate(_, let active) = error else { Issue.record("expected duplicate, got \(error)"); continue }
                #expect(active == run.id || active == "h200-a")
            }
            #expect(try await store.auditLog(limit: 5).filter { $0.action == "diagnostics.start" }.count == 1)
            // Another node is free.
            _ = try await Self.create(store, node: "h200-b")

            // Unknown node and bad fields are refused by name.
            guard case .invalid(field: "node", _)? = await storeError({ _ = try await Self.create(store, node: "h200-z") }) else {
                Issue.record("unknown node"); return
            }
            guard case .invalid(field: "level", _)? = await storeError({ _ = try await Self.create(store, node: "h200-b", level: 9) }) else {
                Issue.record("bad level"); return
            }

            #expect(try await store.claimDiagnosticRun(node: "h200-z", now: Date()) == nil)
            let claimed = try #require(try await store.claimDiagnosticRun(node: "h200-a", now: Date()))
            #expect(claimed.id == run.id)
            #expect(claimed.state == .running)
            #expect(try await store.claimDiagnosticRun(node: "h200-a", now: Date()) == nil, "a running run is not handed out twice")

            // Another node's agent cannot write to it.
            guard case .notFound? = await storeError({ _ = try await store.appendDiagnosticOutput(id: run.id, node: "h200-b", output: "x", now: Date()) }) else {
                Issue.record("foreign node"); return
            }
            _ = try await store.appendDiagnosticOutput(id: run.id, node: "h200-a", output: "line 1\n", now: Date())
            let big = String(repeating: "é", count: DiagnosticRunRecord.maxOutput / 2)  // 2 bytes each: just over the cap
            let capped = try await store.appendDiagnosticOutput(id: run.id, node: "h200-a", output: big, now: Date())
            #expect(capped.outputTruncated)
            #expect(capped.output.utf8.count <= DiagnosticRunRecord.maxOutput + 3)
            #expect(capped.output.hasPrefix("line 1\n"))

            let cancelling = try await store.requestDiagnosticCancel(id: run.id, now: Date())
            #expect(cancelling.state == .running && cancelling.cancelRequested)
            let ended = try await store.finishDiagnosticRun(
                id: run.id, node: "h200-a", DiagnosticRunEnd(state: .cancelled, reason: "cancelled on request", report: #"{"outcome":"failed"}"#), now: Date())
            #expect(ended.state == .cancelled)
            let stored = try #require(try await store.diagnosticRun(id: run.id))
            #expect(stored.state == .cancelled)
            #expect(stored.outputTruncated)
            #expect(stored.report == #"{"outcome":"failed"}"#)
            #expect(stored.finishedAt != nil)
            guard case .invalid(field: "state", _)? = await storeError({
                _ = try await store.finishDiagnosticRun(id: run.id, node: "h200-a", DiagnosticRunEnd(state: .failed), now: Date())
            }) else { Issue.record("ended twice"); return }
            guard case .invalid(field: "state", _)? = await storeError({
                _ = try await store.finishDiagnosticRun(id: run.id, node: nil, DiagnosticRunEnd(state: .running), now: Date())
            }) else { Issue.record("ended as running"); return }

            // The node is free again; the list is newest first and filters by tenant and node.
            _ = try await Self.create(store, now: Date().addingTimeInterval(1))
            #expect(try await store.diagnosticRuns(tenant: "acme", node: "h200-a", limit: 10).count == 2)
            #expect(try await store.diagnosticRuns(tenant: "globex", node: nil, limit: 10).isEmpty)
            #expect(try await store.diagnosticRuns(tenant: nil, node: nil, limit: 10).first?.node == "h200-a")
        }
    }

    @Test("the sweep ends what no agent drives, once", arguments: Backend.allCases)
    func sweep(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            _ = try await store.registerNode(Self.node("h200-a"))
            _ = try await store.registerNode(Self.node("h200-b"))
            let start = Date()
            let queued = try await Self.create(store, now: start)
            let running = try await Self.create(store, node: "h200-b", now: start)
            _ = try await store.claimDiagnosticRun(node: "h200-b", now: start)
            let limits = DiagnosticSweepLimits()
            #expect(try await store.sweepDiagnosticRuns(now: start.addingTimeInterval(5), limits: limits).isEmpty)
            let ended = try await store.sweepDiagnosticRuns(now: start.addingTimeInterval(121), limits: limits)
            #expect(Set(ended.map(\.id)) == [queued.id, running.id])
            #expect(ended.allSatisfy { $0.state == .failed && $0.reason != nil })
            #expect(try await store.sweepDiagnosticRuns(now: start.addingTimeInterval(200), limits: limits).isEmpty)
            #expect(try await store.diagnosticRun(id: running.id)?.reason?.contains("stopped reporting") == true)
        }
    }
}
