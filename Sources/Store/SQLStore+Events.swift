import Fleet
import Foundation
import SQLKit

/// GPU event history: de-duplicated recording, reads by node, retention.
///
/// De-duplication happens inside the write transaction (lookup by `dedup_key` and time, then update
/// or insert). On SQLite the transaction takes the write lock first (`BEGIN IMMEDIATE`), so two
/// recorders cannot both insert; the product runs one recorder per installation, which keeps
/// PostgreSQL equally safe.
extension SQLStore {
    func recordEvent(_ occurrence: EventOccurrence, deduplicationWindow: TimeInterval) async throws -> GPUEvent {
        try Validate.text(occurrence.node, field: "node")
        try Validate.text(occurrence.meaning, field: "meaning", maxLength: 2000)
        guard occurrence.count >= 1 else { throw StoreError.invalid(field: "count", reason: "must be at least 1") }
        guard deduplicationWindow >= 0, deduplicationWindow.isFinite else {
            throw StoreError.invalid(field: "deduplicationWindow", reason: "must be a finite number of seconds, 0 or more")
        }
        let key = occurrence.deduplicationKey
        let time = Timestamp.millis(occurrence.time)
        let windowStart = time - Int64(deduplicationWindow * 1000)
        return try await write { db in
            let existing = try await db.select().column("*").from("gpu_events")
                .where("dedup_key", .equal, key)
                .where("last_seen", .greaterThanOrEqual, windowStart)
                .orderBy("last_seen", .descending).limit(1).first()
            if let existing {
                var event = try existing.gpuEvent()
                guard time > Timestamp.millis(event.lastSeen) else { return event }
                if occurrence.isOnset {
                    event.count += occurrence.count
                    event.meaning = occurrence.meaning
                }
                if occurrence.severity > event.severity {
                    event.severity = occurrence.severity
                    event.meaning = occurrence.meaning
                }
                event.lastSeen = Timestamp.date(time)
                if event.gpuUUID == nil { event.gpuUUID = occurrence.gpuUUID }
                try await db.update("gpu_events")
                    .set("last_seen", to: SQLBind(time))
                    .set("count", to: SQLBind(Int64(event.count)))
                    .set("severity", to: SQLBind(event.severity.rawValue))
                    .set("meaning", to: SQLBind(event.meaning))
                    .set("gpu_uuid", to: SQLStore.bind(event.gpuUUID))
                    .where("id", .equal, event.id)
                    .run()
                return event
            }
            let event = GPUEvent(
                id: SQLStore.newID("e_"), node: occurrence.node, gpuUUID: occurrence.gpuUUID, gpuIndex: occurrence.gpuIndex,
                kind: occurrence.kind, code: occurrence.code, meaning: occurrence.meaning, severity: occurrence.severity,
                firstSeen: Timestamp.date(time), lastSeen: Timestamp.date(time), count: occurrence.count)
            try await db.insert(into: "gpu_events")
                .columns("id", "dedup_key", "node", "gpu_uuid", "gpu_index", "kind", "code", "meaning", "severity",
                         "first_seen", "last_seen", "count")
                .values(SQLBind(event.id), SQLBind(key), SQLBind(event.node), SQLStore.bind(event.gpuUUID),
                        SQLStore.bind(event.gpuIndex.map(Int64.init)), SQLBind(event.kind.rawValue),
                        SQLStore.bind(event.code.map(Int64.init)), SQLBind(event.meaning), SQLBind(event.severity.rawValue),
                        SQLBind(time), SQLBind(time), SQLBind(Int64(event.count)))
                .run()
            return event
        }
    }

    func events(nodes: [String], since: Date) async throws -> [GPUEvent] {
        guard !nodes.isEmpty else { return [] }
        let since = Timestamp.millis(since)
        return try await read { db in
            try await db.select().column("*").from("gpu_events")
                .where("node", .in, nodes)
                .where("last_seen", .greaterThanOrEqual, since)
                .orderBy("last_seen", .descending).orderBy("id")
                .all().map { try $0.gpuEvent() }
        }
    }

    func pruneEvents(before: Date) async throws -> Int {
        let cutoff = Timestamp.millis(before)
        return try await write { db in
            let doomed = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("gpu_events").where("last_seen", .lessThan, cutoff).first()
            let count = try doomed?.decode(column: "n", as: Int64.self) ?? 0
            try await db.delete(from: "gpu_events").where("last_seen", .lessThan, cutoff).run()
            return Int(count)
        }
    }
}

extension SQLRow {
    func gpuEvent() throws -> GPUEvent {
        let rawKind = try decode(column: "kind", as: String.self)
        let rawSeverity = try decode(column: "severity", as: String.self)
        guard let kind = GPUEvent.Kind(rawValue: rawKind), let severity = Severity(rawValue: rawSeverity) else {
            throw StoreError.unavailable("stored event has an unknown kind '\(rawKind)' or severity '\(rawSeverity)'")
        }
        return GPUEvent(
            id: try decode(column: "id", as: String.self),
            node: try decode(column: "node", as: String.self),
            gpuUUID: try decode(column: "gpu_uuid", as: String?.self),
            gpuIndex: try decode(column: "gpu_index", as: Int64?.self).map { Int($0) },
            kind: kind,
            code: try decode(column: "code", as: Int64?.self).map { Int($0) },
            meaning: try decode(column: "meaning", as: String.self),
            severity: severity,
            firstSeen: try date("first_seen"),
            lastSeen: try date("last_seen"),
            count: Int(try decode(column: "count", as: Int64.self)))
    }
}
