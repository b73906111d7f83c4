import Fleet
import SQLKit

extension SQLStore {
    func appendAudit(actor: String, action: String, target: String, detail: String) async throws {
        try Validate.text(actor, field: "actor")
        try Validate.text(action, field: "action", maxLength: 100)
        try Validate.text(target, field: "target")
        try Validate.jsonObject(detail, field: "detail")
        let now = Timestamp.now()
        try await write { db in
            try await db.insert(into: "audit_log")
                .columns("at", "actor", "action", "target", "detail")
                .values(SQLBind(now.millis), SQLBind(actor), SQLBind(action), SQLBind(target), SQLBind(detail))
                .run()
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
