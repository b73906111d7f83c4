import Fleet
import Foundation
import SQLKit

extension SQLStore {
    func createPool(name: String, displayName: String) async throws -> Pool {
        let created = try await insertNamed(table: "pools", entity: "pool", name: name, displayName: displayName)
        return Pool(name: name, displayName: displayName, createdAt: created.date)
    }

    func pools() async throws -> [Pool] {
        try await read { db in
            try await db.select().column("*").from("pools").orderBy("name").all().map { try $0.pool() }
        }
    }

    func registerNode(_ input: NodeRecord) async throws -> NodeRecord {
        var node = try Self.validated(input)
        let now = Timestamp.now()
        node.createdAt = now.date
        node.agent = nil
        let duplicate = StoreError.duplicate(entity: "node", name: node.name)
        let stored = node
        return try await write(duplicate: duplicate) { db in
            try await Self.insertNode(db, stored, at: now.millis)
            return stored
        }
    }

    /// Checks every field of a node to register; returns it with defaults filled in.
    static func validated(_ input: NodeRecord) throws -> NodeRecord {
        var node = input
        try Validate.name(node.name)
        try Validate.text(node.host, field: "host")
        try Validate.address(node.dcgmAddress, field: "dcgmAddress")
        try Validate.path(node.dcgmPath, field: "dcgmPath")
        switch (node.vllmAddress, node.vllmPath) {
        case (let address?, let path):
            try Validate.address(address, field: "vllmAddress")
            node.vllmPath = path ?? "/metrics"
            try Validate.path(node.vllmPath ?? "", field: "vllmPath")
        case (nil, .some):
            throw StoreError.invalid(field: "vllmPath", reason: "needs vllmAddress")
        case (nil, nil):
            break
        }
        try Validate.text(node.gpuModel, field: "gpuModel")
        try Validate.positive(node.gpuCount, field: "gpuCount")
        try Validate.positive(node.gpuMemoryMiB, field: "gpuMemoryMiB")
        guard GPUClass.named(node.gpuClass) != nil else {
            let known = GPUClass.known.map(\.id).joined(separator: ", ")
            throw StoreError.invalid(field: "gpuClass", reason: "unknown class '\(node.gpuClass)' (known: \(known))")
        }
        try Validate.gpuUUIDs(node.gpuUUIDs)
        switch node.holding {
        case .dedicated(let tenant):
            try Validate.name(tenant, field: "holding.tenant")
        case .contributed(let provider, let pool):
            try Validate.name(provider, field: "holding.tenant")
            try Validate.name(pool, field: "holding.pool")
        }
        return node
    }

    /// Inserts a validated node inside a write transaction, after checking its references and name.
    static func insertNode(_ db: any SQLDatabase, _ node: NodeRecord, at millis: Int64) async throws {
        guard try await exists(db, "tenants", "name", node.holding.tenant) else {
            throw StoreError.invalid(field: "holding.tenant", reason: "no tenant named '\(node.holding.tenant)'")
        }
        if let pool = node.holding.pool, try await !exists(db, "pools", "name", pool) {
            throw StoreError.invalid(field: "holding.pool", reason: "no pool named '\(pool)'")
        }
        if try await exists(db, "nodes", "name", node.name) { throw StoreError.duplicate(entity: "node", name: node.name) }
        let holdingKind = switch node.holding {
        case .dedicated: "dedicated"
        case .contributed: "contributed"
        }
        let uuids = String(decoding: try JSONEncoder().encode(node.gpuUUIDs), as: UTF8.self)
        try await db.insert(into: "nodes")
            .columns("name", "host", "dcgm_address", "dcgm_path", "vllm_address", "vllm_path",
                     "gpu_model", "gpu_count", "gpu_memory_mib", "gpu_class", "gpu_uuids",
                     "holding_kind", "holding_tenant", "holding_pool", "created_at")
            .values(SQLBind(node.name), SQLBind(node.host), SQLBind(node.dcgmAddress),
                    SQLBind(node.dcgmPath), bind(node.vllmAddress), bind(node.vllmPath),
                    SQLBind(node.gpuModel), SQLBind(Int64(node.gpuCount)),
                    SQLBind(Int64(node.gpuMemoryMiB)), SQLBind(node.gpuClass), SQLBind(uuids),
                    SQLBind(holdingKind), SQLBind(node.holding.tenant), bind(node.holding.pool),
                    SQLBind(millis))
            .run()
    }

    func node(named name: String) async throws -> NodeRecord? {
        try await read { db in
            guard let node = try await db.select().column("*").from("nodes").where("name", .equal, name).first()?.node() else { return nil }
            return try await Self.withAgents(db, [node]).first
        }
    }

    func nodes() async throws -> [NodeRecord] {
        try await read { db in
            let nodes = try await db.select().column("*").from("nodes").orderBy("name").all().map { try $0.node() }
            return try await Self.withAgents(db, nodes)
        }
    }

    func updateGPUUUIDs(node: String, uuids: [String]) async throws {
        try Validate.gpuUUIDs(uuids)
        let json = String(decoding: try JSONEncoder().encode(uuids), as: UTF8.self)
        try await write { db in
            guard try await Self.exists(db, "nodes", "name", node) else {
                throw StoreError.notFound(entity: "node", id: node)
            }
            try await db.update("nodes").set("gpu_uuids", to: json).where("name", .equal, node).run()
        }
    }

    func createSubscription(
        tenant: String, pool: String, plan: String, tokenQuota: Int, period: String
    ) async throws -> Subscription {
        try Validate.name(tenant, field: "tenant")
        try Validate.name(pool, field: "pool")
        try Validate.text(plan, field: "plan", maxLength: 100)
        guard tokenQuota >= 0 else {
            throw StoreError.invalid(field: "tokenQuota", reason: "must be 0 or more")
        }
        guard SubscriptionPeriod(rawValue: period) != nil else {
            let periods = SubscriptionPeriod.allCases.map(\.rawValue).joined(separator: ", ")
            throw StoreError.invalid(field: "period", reason: "must be one of \(periods)")
        }
        let now = Timestamp.now()
        let subscription = Subscription(
            id: Self.newID("s_"), tenant: tenant, pool: pool, plan: plan, tokenQuota: tokenQuota,
            period: period, createdAt: now.date)
        let duplicate = StoreError.duplicate(entity: "subscription", name: "\(tenant)/\(pool)")
        return try await write(duplicate: duplicate) { db in
            guard try await Self.exists(db, "tenants", "name", tenant) else {
                throw StoreError.invalid(field: "tenant", reason: "no tenant named '\(tenant)'")
            }
            guard try await Self.exists(db, "pools", "name", pool) else {
                throw StoreError.invalid(field: "pool", reason: "no pool named '\(pool)'")
            }
            let taken = try await db.select().column("id").from("subscriptions")
                .where("tenant", .equal, tenant).where("pool", .equal, pool).first() != nil
            if taken { throw duplicate }
            try await db.insert(into: "subscriptions")
                .columns("id", "tenant", "pool", "plan", "token_quota", "period", "created_at")
                .values(SQLBind(subscription.id), SQLBind(tenant), SQLBind(pool), SQLBind(plan),
                        SQLBind(Int64(tokenQuota)), SQLBind(period), SQLBind(now.millis))
                .run()
            return subscription
        }
    }

    func subscriptions(tenant: String?) async throws -> [Subscription] {
        try await read { db in
            var query = db.select().column("*").from("subscriptions")
            if let tenant { query = query.where("tenant", .equal, tenant) }
            return try await query.orderBy("tenant").orderBy("pool").all().map { try $0.subscription() }
        }
    }
}
