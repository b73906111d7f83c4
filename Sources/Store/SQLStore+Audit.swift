import Fleet
import Foundation
import SQLKit

extension SQLStore {
    /// A validated audit row, ready to insert (inside another write's transaction, too).
    struct AuditRow: Sendable {
        var actor: String
        var action: String
        var target: String
        var detail: String
    }

    static func auditRow(actor: String, action: String, target: String, detail: String) throws(StoreError) -> AuditRow {
        try Validate.text(actor, field: "actor")
        try Validate.text(action, field: "action", maxLength: 100)
        try Validate.text(target, field: "target")
        try Validate.jsonObject(detail, field: "detail")
        return AuditRow(actor: actor, action: action, target: target, detail: detail)
    }

    static func auditRow(actor: String, action: String, target: String, detail: [String: String]) throws(StoreError) -> AuditRow {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = (try? encoder.encode(detail)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return try auditRow(actor: actor, action: action, target: target, detail: text)
    }

    static func insertAudit(_ db: any SQLDatabase, _ row: AuditRow, at millis: Int64) async throws {
        try await db.insert(into: "audit_log")
            .columns("at", "actor", "action", "target", "detail")
            .values(SQLBind(millis), SQLBind(row.actor), SQLBind(row.action), SQLBind(row.target), SQLBind(row.detail))
            .run()
    }

    func appendAudit(actor: String, action: String, target: String, detail: String) async throws {
        let row = try Self.auditRow(actor: actor, action: action, target: target, detail: detail)
        let now = Timestamp.now()
        try await write { db in
            try await Self.insertAudit(db, row, at: now.millis)
        }
    }

    /// Caps `limit` at 1000 so one call cannot read the whole log into memory.
    func auditLog(limit: Int) async throws -> [AuditEntry] {
        guard limit > 0 else { throw StoreError.invalid(field: "limit", reason: "must be greater than 0") }
        return try await read { db in
            try await db.select().column("*").from("audit_log").orderBy("id", .descending)
                .limit(min(limit, 1000)).all().map { try $0.auditEntry() }
        }
    }
}
