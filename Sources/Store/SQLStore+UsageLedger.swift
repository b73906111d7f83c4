import Foundation
import SQLKit

/// The usage ledger (docs/GATEWAY.md "Metering"): one row per metered request, idempotent on the
/// request id, summed per tenant and period for the quota.
extension SQLStore {
    func recordUsage(_ entry: UsageEntry) async throws -> Bool {
        try await recordUsage([entry]) == 1
    }

    func recordUsage(_ entries: [UsageEntry]) async throws -> Int {
        for entry in entries {
            try Validate.name(entry.tenant, field: "tenant")
            try Validate.text(entry.requestID, field: "requestID", maxLength: 64)
            try Validate.text(entry.keyID, field: "keyID", maxLength: 64)
            try Validate.text(entry.model, field: "model", maxLength: 256)
            guard entry.tokensIn >= 0, entry.tokensOut >= 0 else {
                throw StoreError.invalid(field: "tokens", reason: "must not be negative")
            }
            guard (100...599).contains(entry.status) else { throw StoreError.invalid(field: "status", reason: "must be an HTTP status") }
        }
        guard !entries.isEmpty else { return 0 }
        // One transaction for the batch: one commit (one fsync) for many requests.
        return try await write { db in
            var written = 0
            for entry in entries {
                if try await Self.exists(db, "usage_ledger", "request_id", entry.requestID) { continue }
                try await db.insert(into: "usage_ledger")
                    .columns("request_id", "tenant", "pool", "key_id", "model", "tokens_in", "tokens_out", "status", "source", "at")
                    .values(SQLBind(entry.requestID), SQLBind(entry.tenant), SQLBind(entry.pool), SQLBind(entry.keyID), SQLBind(entry.model),
                            SQLBind(Int64(entry.tokensIn)), SQLBind(Int64(entry.tokensOut)), SQLBind(Int64(entry.status)),
                            SQLBind(entry.source), SQLBind(Timestamp.millis(entry.at)))
                    .run()
                written += 1
            }
            return written
        }
    }

    func usageTotals(tenant: String, since: Date) async throws -> UsageTotals {
        try await read { db in
            let row = try await db.select()
                .column(BigintSum(SQLColumn("tokens_in")), as: "tokens_in")
                .column(BigintSum(SQLColumn("tokens_out")), as: "tokens_out")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "requests")
                .from("usage_ledger")
                .where("tenant", .equal, tenant).where("at", .greaterThanOrEqual, Timestamp.millis(since))
                .first()
            guard let row else { return UsageTotals() }
            return UsageTotals(
                tokensIn: Int(try row.decode(column: "tokens_in", as: Int64.self)),
                tokensOut: Int(try row.decode(column: "tokens_out", as: Int64.self)),
                requests: Int(try row.decode(column: "requests", as: Int64.self)))
        }
    }
}

extension SQLStore {
    func usageTotals(tenant: String?, pool: String?, since: Date) async throws -> UsageTotals {
        try await read { db in
            var query = db.select()
                .column(BigintSum(SQLColumn("tokens_in")), as: "tokens_in")
                .column(BigintSum(SQLColumn("tokens_out")), as: "tokens_out")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "requests")
                .from("usage_ledger")
                .where("at", .greaterThanOrEqual, Timestamp.millis(since))
            if let tenant { query = query.where("tenant", .equal, tenant) }
            if let pool { query = query.where("pool", .equal, pool) }
            guard let row = try await query.first() else { return UsageTotals() }
            return UsageTotals(
                tokensIn: Int(try row.decode(column: "tokens_in", as: Int64.self)),
                tokensOut: Int(try row.decode(column: "tokens_out", as: Int64.self)),
                requests: Int(try row.decode(column: "requests", as: Int64.self)))
        }
    }

    /// Grouped in the database (never a row per request in memory): by time bucket, by model and
    /// by key, each also by status so errors and cancellations fall out without a CASE.
    func usageBreakdown(tenant: String, pool: String?, from start: Date, to end: Date, bucketSeconds: Int) async throws -> UsageBreakdown {
        guard bucketSeconds > 0 else { throw StoreError.invalid(field: "bucketSeconds", reason: "must be positive") }
        guard end > start else { throw StoreError.invalid(field: "to", reason: "must be after from") }
        let width = Int64(bucketSeconds) * 1000
        return try await read { db in
            func grouped(_ key: any SQLExpression, as name: String) async throws -> [(key: any SQLRow, tokensIn: Int, tokensOut: Int, requests: Int, status: Int)] {
                var query = db.select()
                    .column(key, as: name)
                    .column(SQLColumn("status"))
                    .column(BigintSum(SQLColumn("tokens_in")), as: "tokens_in")
                    .column(BigintSum(SQLColumn("tokens_out")), as: "tokens_out")
                    .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "requests")
                    .from("usage_ledger")
                    .where("tenant", .equal, tenant)
                    .where("at", .greaterThanOrEqual, Timestamp.millis(start))
                    .where("at", .lessThan, Timestamp.millis(end))
                if let pool { query = query.where("pool", .equal, pool) }
                return try await query.groupBy(SQLColumn(name)).groupBy("status").all().map { row in
                    (row, Int(try row.decode(column: "tokens_in", as: Int64.self)), Int(try row.decode(column: "tokens_out", as: Int64.self)),
                     Int(try row.decode(column: "requests", as: Int64.self)), Int(try row.decode(column: "status", as: Int64.self)))
                }
            }
            var breakdown = UsageBreakdown()
            // Integer division in both SQLite and PostgreSQL (the column is a bigint of milliseconds).
            let bucket = SQLBinaryExpression(
                left: SQLGroupExpression(SQLBinaryExpression(left: SQLColumn("at"), op: SQLBinaryOperator.divide, right: SQLLiteral.numeric("\(width)"))),
                op: SQLBinaryOperator.multiply, right: SQLLiteral.numeric("\(width)"))
            for group in try await grouped(bucket, as: "bucket") {
                let at = Timestamp.date(try group.key.decode(column: "bucket", as: Int64.self))
                breakdown.buckets[at, default: .init()].add(tokensIn: group.tokensIn, tokensOut: group.tokensOut, requests: group.requests, status: group.status)
                breakdown.total.add(tokensIn: group.tokensIn, tokensOut: group.tokensOut, requests: group.requests, status: group.status)
            }
            for group in try await grouped(SQLColumn("model"), as: "model") {
                let model = try group.key.decode(column: "model", as: String.self)
                breakdown.byModel[model, default: .init()].add(tokensIn: group.tokensIn, tokensOut: group.tokensOut, requests: group.requests, status: group.status)
            }
            for group in try await grouped(SQLColumn("key_id"), as: "key_id") {
                let key = try group.key.decode(column: "key_id", as: String.self)
                breakdown.byKey[key, default: .init()].add(tokensIn: group.tokensIn, tokensOut: group.tokensOut, requests: group.requests, status: group.status)
            }
            return breakdown
        }
    }
}

/// `CAST(COALESCE(SUM(x), 0) AS BIGINT)`: PostgreSQL sums a bigint column as `numeric`, which
/// does not decode as an integer; SQLite's integer sum is unchanged by the cast.
struct BigintSum: SQLExpression {
    let column: any SQLExpression

    init(_ column: any SQLExpression) { self.column = column }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("CAST(COALESCE(SUM(")
        column.serialize(to: &serializer)
        serializer.write("), 0) AS BIGINT)")
    }
}
