import Foundation
import SQLKit

/// Load tests (docs/FACTORY-API.md "Load tests"): one active test per tenant, enforced inside the
/// creating transaction; final states never change.
extension SQLStore {
    func createLoadTest(tenant: String, node: String, requestedBy: String, plan: String) async throws -> LoadTestRecord {
        try Validate.name(tenant, field: "tenant")
        try Validate.name(node, field: "node")
        try Validate.text(requestedBy, field: "requestedBy")
        try Validate.jsonObject(plan, field: "plan")
        guard plan.utf8.count <= Self.maxLoadTestJSON else { throw StoreError.invalid(field: "plan", reason: "too large") }
        let now = Timestamp.now()
        let record = LoadTestRecord(id: SQLStore.newID("lt_"), tenant: tenant, node: node, requestedBy: requestedBy,
                                    status: .queued, plan: plan, createdAt: now.date)
        return try await write { db in
            guard try await SQLStore.exists(db, "tenants", "name", tenant) else {
                throw StoreError.invalid(field: "tenant", reason: "tenant '\(tenant)' does not exist")
            }
            if let active = try await db.select().column("id").from("load_tests")
                .where("tenant", .equal, tenant)
                .where("status", .in, Self.activeLoadTestStatuses)
                .limit(1).first() {
                throw StoreError.duplicate(entity: "active load test", name: try active.decode(column: "id", as: String.self))
            }
            try await db.insert(into: "load_tests")
                .columns("id", "tenant", "node", "requested_by", "status", "plan", "progress", "result", "error",
                         "created_at", "started_at", "finished_at")
                .values(SQLBind(record.id), SQLBind(tenant), SQLBind(node), SQLBind(requestedBy), SQLBind(record.status.rawValue),
                        SQLBind(plan), SQLLiteral.null, SQLLiteral.null, SQLLiteral.null,
                        SQLBind(now.millis), SQLLiteral.null, SQLLiteral.null)
                .run()
            return record
        }
    }

    func updateLoadTest(id: String, _ update: LoadTestUpdate) async throws -> LoadTestRecord {
        try Validate.text(id, field: "id", maxLength: 64)
        for (field, value) in [("progress", update.progress), ("result", update.result)] {
            guard let value else { continue }
            try Validate.jsonObject(value, field: field)
            guard value.utf8.count <= Self.maxLoadTestJSON else { throw StoreError.invalid(field: field, reason: "too large") }
        }
        if let error = update.error { try Validate.text(error, field: "error", maxLength: 2000) }
        let now = Timestamp.now()
        return try await write { db in
            guard let row = try await db.select().column("*").from("load_tests").where("id", .equal, id).first() else {
                throw StoreError.notFound(entity: "load test", id: id)
            }
            var record = try row.loadTestRecord()
            if !record.status.isActive {
                throw StoreError.invalid(field: "status", reason: "load test \(id) is already \(record.status.rawValue)")
            }
            if let status = update.status {
                if status == .queued && record.status == .running {
                    throw StoreError.invalid(field: "status", reason: "a running load test cannot be queued again")
                }
                record.status = status
                if status == .running, record.startedAt == nil { record.startedAt = now.date }
                if !status.isActive { record.finishedAt = now.date }
            }
            if let progress = update.progress { record.progress = progress }
            if let result = update.result { record.result = result }
            if let error = update.error { record.error = error }
            try await db.update("load_tests")
                .set("status", to: SQLBind(record.status.rawValue))
                .set("progress", to: SQLStore.bind(record.progress))
                .set("result", to: SQLStore.bind(record.result))
                .set("error", to: SQLStore.bind(record.error))
                .set("started_at", to: SQLStore.bind(record.startedAt.map(Timestamp.millis)))
                .set("finished_at", to: SQLStore.bind(record.finishedAt.map(Timestamp.millis)))
                .where("id", .equal, id)
                .run()
            return record
        }
    }

    func loadTest(id: String) async throws -> LoadTestRecord? {
        try await read { db in
            try await db.select().column("*").from("load_tests").where("id", .equal, id).first()?.loadTestRecord()
        }
    }

    func loadTests(tenant: String?, limit: Int) async throws -> [LoadTestRecord] {
        guard limit > 0 else { throw StoreError.invalid(field: "limit", reason: "must be greater than 0") }
        return try await read { db in
            var query = db.select().column("*").from("load_tests")
            if let tenant { query = query.where("tenant", .equal, tenant) }
            return try await query.orderBy("created_at", .descending).orderBy("id", .descending)
                .limit(min(limit, 1000)).all().map { try $0.loadTestRecord() }
        }
    }

    func failActiveLoadTests(reason: String, createdBefore: Date) async throws -> Int {
        let before = Timestamp.millis(createdBefore)
        try Validate.text(reason, field: "error", maxLength: 2000)
        let now = Timestamp.now()
        let active = Self.activeLoadTestStatuses
        return try await write { db in
            let count = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("load_tests").where("status", .in, active).where("created_at", .lessThan, before).first()?.decode(column: "n", as: Int64.self) ?? 0
            try await db.update("load_tests")
                .set("status", to: SQLBind(LoadTestStatus.failed.rawValue))
                .set("error", to: SQLBind(reason))
                .set("finished_at", to: SQLBind(now.millis))
                .where("status", .in, active)
                .where("created_at", .lessThan, before)
                .run()
            return Int(count)
        }
    }

    func holdLoadTests(ids: [String], owner: String, now: Date) async throws -> [String] {
        guard !ids.isEmpty else { return [] }
        for id in ids { try Validate.text(id, field: "id", maxLength: 64) }
        try Validate.text(owner, field: "owner", maxLength: 64)
        let seen = Timestamp.millis(now)
        let active = Self.activeLoadTestStatuses
        return try await write { db in
            try await db.update("load_tests")
                .set("owner", to: SQLBind(owner))
                .set("seen_at", to: SQLBind(seen))
                .where("id", .in, ids)
                .where("status", .in, active)
                .run()
            let still = try await db.select().column("id").from("load_tests")
                .where("id", .in, ids).where("status", .in, active).all()
                .map { try $0.decode(column: "id", as: String.self) }
            return ids.filter { !still.contains($0) }
        }
    }

    func failOrphanedLoadTests(reason: String, silentSince: Date, unownedBefore: Date) async throws -> Int {
        try Validate.text(reason, field: "error", maxLength: 2000)
        let (silent, unowned) = (Timestamp.millis(silentSince), Timestamp.millis(unownedBefore))
        let now = Timestamp.now()
        let active = Self.activeLoadTestStatuses
        return try await write { db in
            let orphans = try await db.select().column("id").from("load_tests")
                .where("status", .in, active)
                .where(group: { either in
                    either.where(group: { $0.where("owner", .isNot, SQLLiteral.null).where("seen_at", .lessThan, SQLBind(silent)) })
                        .orWhere(group: { $0.where("owner", .is, SQLLiteral.null).where("created_at", .lessThan, SQLBind(unowned)) })
                })
                .all().map { try $0.decode(column: "id", as: String.self) }
            guard !orphans.isEmpty else { return 0 }
            try await db.update("load_tests")
                .set("status", to: SQLBind(LoadTestStatus.failed.rawValue))
                .set("error", to: SQLBind(reason))
                .set("finished_at", to: SQLBind(now.millis))
                .where("id", .in, orphans)
                .where("status", .in, active)
                .run()
            return orphans.count
        }
    }

    /// The statuses of a test that still runs or waits to (queued, running), as stored.
    static let activeLoadTestStatuses = LoadTestStatus.allCases.filter(\.isActive).map(\.rawValue)

    /// Largest plan, progress or result text accepted (a search stores a report per trial).
    static let maxLoadTestJSON = 4 << 20
}

extension SQLRow {
    func loadTestRecord() throws -> LoadTestRecord {
        let rawStatus = try decode(column: "status", as: String.self)
        guard let status = LoadTestStatus(rawValue: rawStatus) else {
            throw StoreError.unavailable("stored load test has an unknown status '\(rawStatus)'")
        }
        return LoadTestRecord(
            id: try decode(column: "id", as: String.self),
            tenant: try decode(column: "tenant", as: String.self),
            node: try decode(column: "node", as: String.self),
            requestedBy: try decode(column: "requested_by", as: String.self),
            status: status,
            plan: try decode(column: "plan", as: String.self),
            progress: try decode(column: "progress", as: String?.self),
            result: try decode(column: "result", as: String?.self),
            error: try decode(column: "error", as: String?.self),
            createdAt: try date("created_at"),
            startedAt: try optionalDate("started_at"),
            finishedAt: try optionalDate("finished_at"))
    }
}
