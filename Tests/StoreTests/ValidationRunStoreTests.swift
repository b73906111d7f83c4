import Foundation
@testable import Store
import Testing

/// Validation runs on SQLite and PostgreSQL: saved whole, newest first, the newest 50 per tenant kept.
@Suite("Validation run store")
struct ValidationRunStoreTests {
    @Test("save, list by tenant, read, keep the newest per tenant, refuse bad input", arguments: Backend.allCases)
    func runs(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            var ids: [String] = []
            for index in 0..<(ValidationRunRecord.kept + 3) {
                let run = try await store.saveValidationRun(
                    tenant: "acme", requestedBy: "u_1", status: index.isMultiple(of: 2) ? "pass" : "fail", durationMs: index,
                    report: #"{"checks":[]}"#, now: start.addingTimeInterval(Double(index)))
                ids.append(run.id)
            }
            let fleet = try await store.saveValidationRun(tenant: nil, requestedBy: "u_op", status: "warn", durationMs: 5, report: "{}", now: start)
            let acme = try await store.validationRuns(tenant: "acme", limit: 200)
            #expect(acme.count == ValidationRunRecord.kept, "older runs are dropped")
            #expect(acme.first?.id == ids.last, "newest first")
            #expect(try await store.validationRun(id: ids[0]) == nil, "the oldest is gone")
            #expect(try await store.validationRun(id: fleet.id)?.tenant == nil)
            #expect(try await store.validationRuns(tenant: nil, limit: 200).count == ValidationRunRecord.kept + 1)
            #expect(try await store.validationRuns(tenant: "globex", limit: 10).isEmpty)
            guard case .invalid(field: "status", _)? = await storeError({
                _ = try await store.saveValidationRun(tenant: "acme", requestedBy: "u", status: "green", durationMs: 1, report: "{}", now: start)
            }) else { Issue.record("bad status"); return }
            guard case .invalid(field: "report", _)? = await storeError({
                _ = try await store.saveValidationRun(tenant: "acme", requestedBy: "u", status: "pass", durationMs: 1, report: "[1]", now: start)
            }) else { Issue.record("bad report"); return }
        }
    }
}
