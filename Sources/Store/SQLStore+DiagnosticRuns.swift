import Foundation
import SQLKit

/// Diagnostic runs (docs/DIAGNOSTICS.md "Running diagnostics"): one active run per node, claimed by
/// the node's agent, output appended as it streams, ended once. Every transition checks the state
/// it leaves inside its transaction, so a late agent message can never reopen a finished run.
extension SQLStore {
    static let diagnosticColumns = [
        "id", "tenant", "node", "kind", "level", "state", "requested_by", "acknowledged", "timeout_seconds", "gpus",
        "output", "output_truncated", "exit_status", "reason", "report", "cancel_requested",
        "created_at", "started_at", "finished_at", "agent_contact_at", "drain_requested", "drain",
    ]
    static var activeDiagnosticStates: [String] { DiagnosticRunState.allCases.filter(\.isActive).map(\.rawValue) }

    func createDiagnosticRun(
        tenant: String, node: String, kind: String, level: Int, requestedBy: String, acknowledged: Bool,
        timeoutSeconds: Int, gpus: Int, drain: Bool, audit: AuditNote?, now date: Date
    ) async throws -> DiagnosticRunRecord {
        try Validate.name(tenant, field: "tenant")
        try Validate.name(node, field: "node")
        try Validate.name(kind, field: "kind")
        try Validate.text(requestedBy, field: "requestedBy")
        guard (0...4).contains(level) else { throw StoreError.invalid(field: "level", reason: "must be between 0 and 4") }
        try Validate.positive(timeoutSeconds, field: "timeoutSeconds")
        try Validate.positive(gpus, field: "gpus")
        // The caller's clock (the server's `now`), so the sweep's queue timeout measures against the same clock.
        let now = (date: Timestamp.date(Timestamp.millis(date)), millis: Timestamp.millis(date))
        let record = DiagnosticRunRecord(
            id: Self.newID("dg_"), tenant: tenant, node: node, kind: kind, level: level, state: .queued,
            requestedBy: requestedBy, acknowledged: acknowledged, timeoutSeconds: timeoutSeconds, gpus: gpus,
            createdAt: now.date, drainRequested: drain)
        let auditRow = try audit.map { note throws(StoreError) in
            var detail = note.detail
            detail["node"] = node
            detail["tenant"] = tenant
            detail["kind"] = kind
            detail["level"] = String(level)
            detail["acknowledged"] = acknowledged ? "true" : "false"
            if drain { detail["drain"] = "true" }
            return try Self.auditRow(actor: note.actor, action: note.action, target: record.id, detail: detail)
        }
        return try await write(duplicate: .duplicate(entity: "active diagnostic run", name: node)) { db in
            guard try await Self.exists(db, "nodes", "name", node) else {
                throw StoreError.invalid(field: "node", reason: "no node named '\(node)'")
            }
            if let active = try await db.select().column("id").from("diagnostic_runs")
                .where("node", .equal, node).where("state", .in, Self.activeDiagnosticStates)
                .limit(1).first() {
                throw StoreError.duplicate(entity: "active diagnostic run", name: try active.decode(column: "id", as: String.self))
            }
            try await db.insert(into: "diagnostic_runs")
                .columns(Self.diagnosticColumns)
                .values(Self.diagnosticValues(record))
                .run()
            if let auditRow { try await Self.insertAudit(db, auditRow, at: now.millis) }
            return record
        }
    }

    func diagnosticRun(id: String) async throws -> DiagnosticRunRecord? {
        guard id.utf8.count <= 64 else { return nil }
        return try await read { db in
            try await db.select().column("*").from("diagnostic_runs").where("id", .equal, id).first()?.diagnosticRunRecord()
        }
    }

    func diagnosticRuns(tenant: String?, node: String?, limit: Int) async throws -> [DiagnosticRunRecord] {
        guard limit > 0 else { throw StoreError.invalid(field: "limit", reason: "must be greater than 0") }
        return try await read { db in
            var query = db.select().column("*").from("diagnostic_runs")
            if let tenant { query = query.where("tenant", .equal, tenant) }
            if let node { query = query.where("node", .equal, node) }
            return try await query.orderBy("created_at", .descending).orderBy("id", .descending)
                .limit(min(limit, 1000)).all().map { try $0.diagnosticRunRecord() }
        }
    }

    func claimDiagnosticRun(node: String, now: Date) async throws -> DiagnosticRunRecord? {
        let nowMillis = Timestamp.millis(now)
        return try await write { db in
            guard let row = try await db.select().column("*").from("diagnostic_runs")
                .where("node", .equal, node).where("state", .equal, DiagnosticRunState.queued.rawValue)
                .orderBy("created_at", .ascending).limit(1).for(.update).first() else { return nil }
            var record = try row.diagnosticRunRecord()
            record.state = .running
            record.startedAt = Timestamp.date(nowMillis)
            record.agentContactAt = Timestamp.date(nowMillis)
            try await db.update("diagnostic_runs")
                .set("state", to: SQLBind(record.state.rawValue))
                .set("started_at", to: SQLBind(nowMillis))
                .set("agent_contact_at", to: SQLBind(nowMillis))
                .where("id", .equal, record.id).where("state", .equal, DiagnosticRunState.queued.rawValue)
                .run()
            return record
        }
    }

    func appendDiagnosticOutput(id: String, node: String, output: String, now: Date) async throws -> DiagnosticRunRecord {
        let nowMillis = Timestamp.millis(now)
        return try await write { db in
            var record = try await Self.activeRun(db, id: id, node: node)
            guard record.state == .running else {
                throw StoreError.invalid(field: "state", reason: "diagnostic run \(id) is \(record.state.rawValue), not running")
            }
            let room = DiagnosticRunRecord.maxOutput - record.output.utf8.count
            if output.utf8.count <= room {
                record.output += output
            } else {
                record.output += String(decoding: output.utf8.prefix(max(0, room)), as: UTF8.self)
                record.outputTruncated = true
            }
            record.agentContactAt = Timestamp.date(nowMillis)
            try await db.update("diagnostic_runs")
                .set("output", to: SQLBind(record.output))
                .set("output_truncated", to: SQLBind(record.outputTruncated ? Int64(1) : 0))
                .set("agent_contact_at", to: SQLBind(nowMillis))
                .where("id", .equal, id)
                .run()
            return record
        }
    }

    func finishDiagnosticRun(id: String, node: String?, _ end: DiagnosticRunEnd, now: Date) async throws -> DiagnosticRunRecord {
        guard !end.state.isActive else {
            throw StoreError.invalid(field: "state", reason: "a run ends as passed, failed, cancelled or timed-out, not \(end.state.rawValue)")
        }
        if let reason = end.reason { try Validate.text(reason, field: "reason", maxLength: 2000) }
        if let report = end.report {
            try Validate.jsonObject(report, field: "report")
            guard report.utf8.count <= DiagnosticRunRecord.maxOutput else { throw StoreError.invalid(field: "report", reason: "too large") }
        }
        if let drain = end.drain {
            try Validate.jsonObject(drain, field: "drain")
            guard drain.utf8.count <= 64 << 10 else { throw StoreError.invalid(field: "drain", reason: "too large") }
        }
        let nowMillis = Timestamp.millis(now)
        return try await write { db in
            var record = try await Self.activeRun(db, id: id, node: node)
            record.state = end.state
            record.exitStatus = end.exitStatus
            record.reason = end.reason
            record.report = end.report
            record.drain = end.drain ?? record.drain
            record.finishedAt = Timestamp.date(nowMillis)
            if node != nil { record.agentContactAt = Timestamp.date(nowMillis) }
            try await db.update("diagnostic_runs")
                .set("state", to: SQLBind(record.state.rawValue))
                .set("exit_status", to: SQLStore.bind(record.exitStatus.map(Int64.init)))
                .set("reason", to: SQLStore.bind(record.reason))
                .set("report", to: SQLStore.bind(record.report))
                .set("drain", to: SQLStore.bind(record.drain))
                .set("finished_at", to: SQLBind(nowMillis))
                .set("agent_contact_at", to: SQLStore.bind(record.agentContactAt.map(Timestamp.millis)))
                .where("id", .equal, id).where("state", .in, Self.activeDiagnosticStates)
                .run()
            return record
        }
    }

    func requestDiagnosticCancel(id: String, now: Date) async throws -> DiagnosticRunRecord {
        let nowMillis = Timestamp.millis(now)
        return try await write { db in
            var record = try await Self.activeRun(db, id: id, node: nil)
            if record.state == .queued {
                // Nothing runs yet: cancelled at once.
                record.state = .cancelled
                record.reason = "cancelled before the agent started it"
                record.finishedAt = Timestamp.date(nowMillis)
                try await db.update("diagnostic_runs")
                    .set("state", to: SQLBind(record.state.rawValue))
                    .set("reason", to: SQLStore.bind(record.reason))
                    .set("finished_at", to: SQLBind(nowMillis))
                    .where("id", .equal, id).run()
            } else {
                // The agent stops the tool on its next contact and reports `cancelled`.
                record.cancelRequested = true
                try await db.update("diagnostic_runs")
                    .set("cancel_requested", to: SQLBind(Int64(1)))
                    .where("id", .equal, id).run()
            }
            return record
        }
    }

    func sweepDiagnosticRuns(now: Date, limits: DiagnosticSweepLimits) async throws -> [DiagnosticRunRecord] {
        let nowMillis = Timestamp.millis(now)
        // Agents' polls sweep every few seconds: look first, and take the write lock only when a
        // run is due (the transaction checks again).
        let due = try await read { db in
            try await db.select().column("*").from("diagnostic_runs")
                .where("state", .in, Self.activeDiagnosticStates).all()
                .contains { row in (try? row.diagnosticRunRecord()).flatMap { Self.sweepEnd($0, now: now, limits: limits) } != nil }
        }
        guard due else { return [] }
        return try await write { db in
            let rows = try await db.select().column("*").from("diagnostic_runs")
                .where("state", .in, Self.activeDiagnosticStates).all()
            var ended: [DiagnosticRunRecord] = []
            for row in rows {
                var record = try row.diagnosticRunRecord()
                guard let end = Self.sweepEnd(record, now: now, limits: limits) else { continue }
                record.state = end.state
                record.reason = end.reason
                record.finishedAt = Timestamp.date(nowMillis)
                try await db.update("diagnostic_runs")
                    .set("state", to: SQLBind(record.state.rawValue))
                    .set("reason", to: SQLStore.bind(record.reason))
                    .set("finished_at", to: SQLBind(nowMillis))
                    .where("id", .equal, record.id).where("state", .in, Self.activeDiagnosticStates)
                    .run()
                ended.append(record)
            }
            return ended
        }
    }

    /// How the sweep ends `record` at `now`, or `nil` while it is still being driven.
    static func sweepEnd(_ record: DiagnosticRunRecord, now: Date, limits: DiagnosticSweepLimits) -> DiagnosticRunEnd? {
        switch record.state {
        case .queued:
            let waited = now.timeIntervalSince(record.createdAt)
            guard waited > limits.queueTimeout else { return nil }
            return DiagnosticRunEnd(state: .failed, reason:
                "the agent on \(record.node) did not pick the run up within \(Int(limits.queueTimeout)) s: check that `aifactory agent` runs there and reaches the server")
        case .running:
            let contact = record.agentContactAt ?? record.startedAt ?? record.createdAt
            let silent = now.timeIntervalSince(contact)
            if record.cancelRequested, silent > limits.cancelGrace {
                return DiagnosticRunEnd(state: .cancelled, reason: "cancelled; the agent on \(record.node) did not confirm that the tool stopped")
            }
            let allowance = record.drainRequested ? limits.drainAllowance : 0
            if let started = record.startedAt, now.timeIntervalSince(started) > Double(record.timeoutSeconds) + allowance + limits.grace {
                return DiagnosticRunEnd(state: .timedOut, reason: "ran past its \(record.timeoutSeconds) s limit and the agent did not stop it")
            }
            if silent > limits.agentSilence {
                return DiagnosticRunEnd(state: .failed, reason:
                    "the agent on \(record.node) stopped reporting during the run (no contact for \(Int(silent)) s): it was stopped or lost the server")
            }
            return nil
        default:
            return nil
        }
    }

    /// The active run `id` (of `node`, when given), for update; not found or already ended throws.
    static func activeRun(_ db: any SQLDatabase, id: String, node: String?) async throws -> DiagnosticRunRecord {
        var query = db.select().column("*").from("diagnostic_runs").where("id", .equal, id)
        if let node { query = query.where("node", .equal, node) }
        guard let row = try await query.for(.update).first() else {
            throw StoreError.notFound(entity: "diagnostic run", id: id)
        }
        let record = try row.diagnosticRunRecord()
        guard record.state.isActive else {
            throw StoreError.invalid(field: "state", reason: "diagnostic run \(id) already ended (\(record.state.rawValue))")
        }
        return record
    }

    static func diagnosticValues(_ r: DiagnosticRunRecord) -> [any SQLExpression] {
        [SQLBind(r.id), SQLBind(r.tenant), SQLBind(r.node), SQLBind(r.kind), SQLBind(Int64(r.level)), SQLBind(r.state.rawValue),
         SQLBind(r.requestedBy), SQLBind(r.acknowledged ? Int64(1) : 0), SQLBind(Int64(r.timeoutSeconds)), SQLBind(Int64(r.gpus)),
         SQLBind(r.output), SQLBind(r.outputTruncated ? Int64(1) : 0), bind(r.exitStatus.map(Int64.init)), bind(r.reason),
         bind(r.report), SQLBind(r.cancelRequested ? Int64(1) : 0), SQLBind(Timestamp.millis(r.createdAt)),
         bind(r.startedAt.map(Timestamp.millis)), bind(r.finishedAt.map(Timestamp.millis)), bind(r.agentContactAt.map(Timestamp.millis)),
         SQLBind(r.drainRequested ? Int64(1) : 0), bind(r.drain)]
    }
}

extension SQLRow {
    func diagnosticRunRecord() throws -> DiagnosticRunRecord {
        let rawState = try decode(column: "state", as: String.self)
        guard let state = DiagnosticRunState(rawValue: rawState) else {
            throw StoreError.unavailable("stored diagnostic run has an unknown state '\(rawState)'")
        }
        return DiagnosticRunRecord(
            id: try decode(column: "id", as: String.self),
            tenant: try decode(column: "tenant", as: String.self),
            node: try decode(column: "node", as: String.self),
            kind: try decode(column: "kind", as: String.self),
            level: Int(try decode(column: "level", as: Int64.self)),
            state: state,
            requestedBy: try decode(column: "requested_by", as: String.self),
            acknowledged: try decode(column: "acknowledged", as: Int64.self) != 0,
            timeoutSeconds: Int(try decode(column: "timeout_seconds", as: Int64.self)),
            gpus: Int(try decode(column: "gpus", as: Int64.self)),
            output: try decode(column: "output", as: String.self),
            outputTruncated: try decode(column: "output_truncated", as: Int64.self) != 0,
            exitStatus: try decode(column: "exit_status", as: Int64?.self).map(Int.init),
            reason: try decode(column: "reason", as: String?.self),
            report: try decode(column: "report", as: String?.self),
            cancelRequested: try decode(column: "cancel_requested", as: Int64.self) != 0,
            createdAt: try date("created_at"),
            startedAt: try optionalDate("started_at"),
            finishedAt: try optionalDate("finished_at"),
            agentContactAt: try optionalDate("agent_contact_at"),
            drainRequested: try decode(column: "drain_requested", as: Int64.self) != 0,
            drain: try decode(column: "drain", as: String?.self))
    }
}
