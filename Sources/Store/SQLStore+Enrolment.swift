import Fleet
import Foundation
import SQLKit

extension SQLStore {
    func createEnrolmentToken(
        tenant: String, pool: String?, createdBy: String, expiresAt: Date, audit: AuditNote?
    ) async throws -> (record: EnrolmentToken, plaintext: String) {
        try Validate.name(tenant, field: "tenant")
        if let pool { try Validate.name(pool, field: "pool") }
        try Validate.text(createdBy, field: "createdBy")
        let now = Timestamp.now()
        let expires = Timestamp.millis(expiresAt)
        guard expires > now.millis else {
            throw StoreError.invalid(field: "expiresAt", reason: "must lie in the future")
        }
        let material = EnrolmentMaterial.generate(EnrolmentMaterial.tokenScheme)
        let record = EnrolmentToken(
            id: Self.newID("e_"), tenant: tenant, pool: pool, createdBy: createdBy, createdAt: now.date,
            expiresAt: Timestamp.date(expires))
        let auditRow = try audit.map { note throws(StoreError) in
            var detail = note.detail
            detail["tenant"] = tenant
            detail["pool"] = pool ?? ""
            return try Self.auditRow(actor: note.actor, action: note.action, target: record.id, detail: detail)
        }
        try await write(duplicate: .duplicate(entity: "enrolment token", name: record.id)) { db in
            guard try await Self.exists(db, "tenants", "name", tenant) else {
                throw StoreError.invalid(field: "tenant", reason: "no tenant named '\(tenant)'")
            }
            if let pool, try await !Self.exists(db, "pools", "name", pool) {
                throw StoreError.invalid(field: "pool", reason: "no pool named '\(pool)'")
            }
            try await db.insert(into: "enrolment_tokens")
                .columns("id", "token_hash", "tenant", "pool", "created_by", "created_at", "expires_at", "used_at", "node")
                .values(SQLBind(record.id), SQLBind(material.hash), SQLBind(tenant), Self.bind(pool), SQLBind(createdBy),
                        SQLBind(now.millis), SQLBind(expires), SQLLiteral.null, SQLLiteral.null)
                .run()
            if let auditRow { try await Self.insertAudit(db, auditRow, at: now.millis) }
        }
        return (record, material.plaintext)
    }

    func redeemEnrolmentToken(
        _ token: String, node input: NodeRecord, agentVersion: String, heartbeatSeconds: Int, now: Date
    ) async throws -> (node: NodeRecord, credential: String) {
        guard EnrolmentMaterial.isWellFormed(token, scheme: EnrolmentMaterial.tokenScheme) else {
            throw EnrolmentError.unknownToken
        }
        try Validate.text(agentVersion, field: "agentVersion", maxLength: 100)
        try Validate.positive(heartbeatSeconds, field: "heartbeatSeconds")
        var unchecked = input
        unchecked.agent = nil
        // Validate with the caller's holding first; the token's replaces it inside the transaction.
        let candidate = try Self.validated(unchecked)
        let tokenHash = APIKeyMaterial.hash(token)
        let credential = EnrolmentMaterial.generate(EnrolmentMaterial.credentialScheme)
        let nowMillis = Timestamp.millis(now)
        let duplicate = StoreError.duplicate(entity: "node", name: input.name)
        let stored = try await write(duplicate: duplicate) { db -> NodeRecord in
            // FOR UPDATE on PostgreSQL: a concurrent redeem of the same token waits here and then
            // sees `used_at` set. SQLite's BEGIN IMMEDIATE already serialises writers.
            guard let row = try await db.select().column("*").from("enrolment_tokens")
                .where("token_hash", .equal, tokenHash).for(.update).first() else {
                throw EnrolmentError.unknownToken
            }
            let record = try row.enrolmentToken()
            if let used = record.usedAt { throw EnrolmentError.usedToken(at: used) }
            guard Timestamp.millis(record.expiresAt) > nowMillis else { throw EnrolmentError.expiredToken(at: record.expiresAt) }
            var node = candidate
            node.holding = record.holding
            node.createdAt = Timestamp.date(nowMillis)
            node = try Self.validated(node)
            try await Self.insertNode(db, node, at: nowMillis)
            try await db.insert(into: "node_agents")
                .columns("node", "credential_hash", "agent_version", "last_seen", "interval_seconds")
                .values(SQLBind(node.name), SQLBind(credential.hash), SQLBind(agentVersion), SQLBind(nowMillis),
                        SQLBind(Int64(heartbeatSeconds)))
                .run()
            try await db.update("enrolment_tokens")
                .set("used_at", to: nowMillis)
                .set("node", to: node.name)
                .where("id", .equal, record.id)
                .run()
            node.agent = NodeAgent(version: agentVersion, lastSeen: Timestamp.date(nowMillis), intervalSeconds: heartbeatSeconds)
            return node
        }
        return (stored, credential.plaintext)
    }

    func authenticateNode(credential: String) async throws -> String? {
        guard EnrolmentMaterial.isWellFormed(credential, scheme: EnrolmentMaterial.credentialScheme) else { return nil }
        let hash = APIKeyMaterial.hash(credential)
        return try await read { db in
            try await db.select().column("node").from("node_agents").where("credential_hash", .equal, hash).first()?
                .decode(column: "node", as: String.self)
        }
    }

    func recordHeartbeat(node: String, agentVersion: String, intervalSeconds: Int, migGPUs: [Int], now: Date) async throws {
        try Validate.text(agentVersion, field: "agentVersion", maxLength: 100)
        guard (1...86_400).contains(intervalSeconds) else {
            throw StoreError.invalid(field: "intervalSeconds", reason: "must be between 1 and 86400")
        }
        let nowMillis = Timestamp.millis(now)
        let migText = String(decoding: (try? JSONEncoder().encode(migGPUs)) ?? Data("[]".utf8), as: UTF8.self)
        try await write { db in
            guard try await Self.exists(db, "node_agents", "node", node) else {
                throw StoreError.notFound(entity: "node agent", id: node)
            }
            try await db.update("node_agents")
                .set("agent_version", to: agentVersion)
                .set("interval_seconds", to: Int64(intervalSeconds))
                .set("last_seen", to: nowMillis)
                .set("mig_gpus", to: migText)
                .where("node", .equal, node)
                .run()
        }
    }

    func enrolmentTokens(tenant: String?) async throws -> [EnrolmentToken] {
        try await read { db in
            var query = db.select().column("*").from("enrolment_tokens")
            if let tenant { query = query.where("tenant", .equal, tenant) }
            return try await query.orderBy("created_at", .descending).orderBy("id").all().map { try $0.enrolmentToken() }
        }
    }

    /// `nodes` with their agents filled in from `node_agents` (one more statement, same read).
    static func withAgents(_ db: any SQLDatabase, _ nodes: [NodeRecord]) async throws -> [NodeRecord] {
        guard !nodes.isEmpty else { return nodes }
        var agents: [String: NodeAgent] = [:]
        for row in try await db.select().column("node").column("agent_version").column("last_seen").column("interval_seconds")
            .column("mig_gpus").from("node_agents").all() {
            let mig = try row.decode(column: "mig_gpus", as: String.self)
            agents[try row.decode(column: "node", as: String.self)] = NodeAgent(
                version: try row.decode(column: "agent_version", as: String.self),
                lastSeen: Timestamp.date(try row.decode(column: "last_seen", as: Int64.self)),
                intervalSeconds: Int(try row.decode(column: "interval_seconds", as: Int64.self)),
                migGPUs: (try? JSONDecoder().decode([Int].self, from: Data(mig.utf8))) ?? [])
        }
        guard !agents.isEmpty else { return nodes }
        return nodes.map { node in
            var node = node
            node.agent = agents[node.name]
            return node
        }
    }
}
