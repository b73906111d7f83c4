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
                .column(SQLFunction("COALESCE", args: SQLFunction("SUM", args: SQLColumn("tokens_in")), SQLLiteral.numeric("0")), as: "tokens_in")
                .column(SQLFunction("COALESCE", args: SQLFunction("SUM", args: SQLColumn("tokens_out")), SQLLiteral.numeric("0")), as: "tokens_out")
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
