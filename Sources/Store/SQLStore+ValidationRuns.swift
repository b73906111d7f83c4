import Foundation
import SQLKit

/// Validation runs (docs/VALIDATE.md): saved whole, newest first, the newest `kept` per tenant.
extension SQLStore {
    func saveValidationRun(
        tenant: String?, requestedBy: String, status: String, durationMs: Int, report: String, now date: Date
    ) async throws -> ValidationRunRecord {
        if let tenant { try Validate.name(tenant, field: "tenant") }
        try Validate.text(requestedBy, field: "requestedBy")
        guard ["pass", "warn", "fail"].contains(status) else {
            throw StoreError.invalid(field: "status", reason: "must be pass, warn or fail")
        }
        guard durationMs >= 0 else { throw StoreError.invalid(field: "durationMs", reason: "must not be negative") }
        try Validate.jsonObject(report, field: "report")
        guard report.utf8.count <= 4 << 20 else { throw StoreError.invalid(field: "report", reason: "too large") }
        let millis = Timestamp.millis(date)
        let record = ValidationRunRecord(
            id: Self.newID("vr_"), tenant: tenant, requestedBy: requestedBy, createdAt: Timestamp.date(millis),
            status: status, durationMs: durationMs, report: report)
        return try await write { db in
            try await db.insert(into: "validation_runs")
                .columns("id", "tenant", "requested_by", "created_at", "status", "duration_ms", "report")
                .values(SQLBind(record.id), SQLStore.bind(record.tenant), SQLBind(record.requestedBy), SQLBind(millis),
                        SQLBind(record.status), SQLBind(Int64(record.durationMs)), SQLBind(record.report))
                .run()
            // Keep the newest `kept` of this tenant (or of the fleet).
            var older = db.select().column("id").from("validation_runs")
            older = tenant.map { older.where("tenant", .equal, $0) } ?? older.where("tenant", .is, SQLLiteral.null)
            let stale = try await older.orderBy("created_at", .descending).orderBy("id", .descending)
                .offset(ValidationRunRecord.kept).limit(1000).all().map { try $0.decode(column: "id", as: String.self) }
            if !stale.isEmpty {
                try await db.delete(from: "validation_runs").where("id", .in, stale).run()
            }
            return record
        }
    }

    func validationRuns(tenant: String?, limit: Int) async throws -> [ValidationRunRecord] {
        guard limit > 0 else { throw StoreError.invalid(field: "limit", reason: "must be greater than 0") }
        return try await read { db in
            var query = db.select().column("*").from("validation_runs")
            if let tenant { query = query.where("tenant", .equal, tenant) }
            return try await query.orderBy("created_at", .descending).orderBy("id", .descending)
                .limit(min(limit, 200)).all().map { try $0.validationRunRecord() }
        }
    }

    func validationRun(id: String) async throws -> ValidationRunRecord? {
        guard id.utf8.count <= 64 else { return nil }
        return try await read { db in
            try await db.select().column("*").from("validation_runs").where("id", .equal, id).first()?.validationRunRecord()
        }
    }
}

extension SQLRow {
    func validationRunRecord() throws -> ValidationRunRecord {
        ValidationRunRecord(
            id: try decode(column: "id", as: String.self),
            tenant: try decode(column: "tenant", as: String?.self),
            requestedBy: try decode(column: "requested_by", as: String.self),
            createdAt: Timestamp.date(try decode(column: "created_at", as: Int64.self)),
            status: try decode(column: "status", as: String.self),
            durationMs: Int(try decode(column: "duration_ms", as: Int64.self)),
            report: try decode(column: "report", as: String.self))
    }
}
