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
        try await auditLog(.all, limit: limit)
    }

    /// Newest first, narrowed by `filter`. Prefixes compare `substr(column, 1, n)` with a bound
    /// value rather than `LIKE`, so a `%` or `_` in the filter is an ordinary character on both
    /// databases (and SQLite's case-insensitive `LIKE` does not differ from PostgreSQL's).
    func auditLog(_ filter: AuditFilter, limit: Int) async throws -> [AuditEntry] {
        guard limit > 0 else { throw StoreError.invalid(field: "limit", reason: "must be greater than 0") }
        if let actor = filter.actor { try Validate.text(actor, field: "actor") }
        if let action = filter.action { try Validate.text(action, field: "action", maxLength: 100) }
        if let target = filter.target { try Validate.text(target, field: "target") }
        if let since = filter.since, let until = filter.until, since >= until {
            throw StoreError.invalid(field: "since", reason: "must be earlier than until")
        }
        return try await read { db in
            var query = db.select().column("*").from("audit_log")
            func prefix(_ column: String, _ text: String) -> any SQLExpression {
                SQLBinaryExpression(
                    left: SQLFunction("substr", args: SQLColumn(column), SQLLiteral.numeric("1"), SQLLiteral.numeric("\(text.unicodeScalars.count)")),
                    op: SQLBinaryOperator.equal, right: SQLBind(text))
            }
            if let actor = filter.actor { query = query.where(prefix("actor", actor)) }
            if let action = filter.action {
                query = action.hasSuffix(".") ? query.where(prefix("action", action)) : query.where("action", .equal, action)
            }
            if let target = filter.target { query = query.where("target", .equal, target) }
            if let since = filter.since { query = query.where("at", .greaterThanOrEqual, Timestamp.millis(since)) }
            if let until = filter.until { query = query.where("at", .lessThan, Timestamp.millis(until)) }
            if let before = filter.beforeID { query = query.where("id", .lessThan, before) }
            return try await query.orderBy("id", .descending).limit(min(limit, 1000)).all().map { try $0.auditEntry() }
        }
    }
}
