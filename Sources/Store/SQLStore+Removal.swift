import Foundation
import SQLKit

/// Removing inventory (docs/ROLES.md "Removing things"): the registration goes, the history
/// stays — events, load tests, diagnostic and validation runs and the usage ledger keep the
/// node's or subscription's name as text (no foreign key), so reports and bills still read.
extension SQLStore {
    func removeNode(name: String) async throws {
        try Validate.name(name, field: "node")
        try await write { db in
            guard try await Self.exists(db, "nodes", "name", name) else { throw StoreError.notFound(entity: "node", id: name) }
            if let run = try await db.select().column("id").from("diagnostic_runs")
                .where("node", .equal, name).where("state", .in, ["queued", "running"]).first() {
                throw StoreError.inUse(entity: "node", name: name,
                                       reason: "diagnostic run \(try run.decode(column: "id", as: String.self)) is active; cancel it first")
            }
            if let test = try await db.select().column("id").from("load_tests")
                .where("node", .equal, name).where("status", .in, Self.activeLoadTestStatuses).first() {
                throw StoreError.inUse(entity: "node", name: name,
                                       reason: "load test \(try test.decode(column: "id", as: String.self)) is active; cancel it first")
            }
            // Its credential stops working with the agent row; a drain ends with the node.
            try await db.delete(from: "node_drains").where("node", .equal, name).run()
            try await db.delete(from: "node_agents").where("node", .equal, name).run()
            try await db.delete(from: "nodes").where("name", .equal, name).run()
        }
    }

    func removeSubscription(id: String) async throws {
        try Validate.text(id, field: "id", maxLength: 64)
        try await write { db in
            guard try await Self.exists(db, "subscriptions", "id", id) else { throw StoreError.notFound(entity: "subscription", id: id) }
            try await db.delete(from: "subscriptions").where("id", .equal, id).run()
        }
    }

    /// A tenant goes only once its hardware and contracts are gone (nodes and subscriptions are
    /// removed one by one, each with its own checks). With it go its people and what only they
    /// can use: users, keys, sessions and enrolment tokens; and the load-test and diagnostic-run
    /// records, which the schema ties to the tenant. The usage ledger, GPU events, validation
    /// runs and the audit log keep the name as text and stay.
    func removeTenant(name: String) async throws {
        try Validate.name(name, field: "tenant")
        try await write { db in
            guard try await Self.exists(db, "tenants", "name", name) else { throw StoreError.notFound(entity: "tenant", id: name) }
            let nodes = try await db.select().column("name").from("nodes").where("holding_tenant", .equal, name).orderBy("name").all()
                .map { try $0.decode(column: "name", as: String.self) }
            if !nodes.isEmpty {
                throw StoreError.inUse(entity: "tenant", name: name, reason: "it holds \(Self.list(nodes, "node")); remove them first")
            }
            let pools = try await db.select().column("pool").from("subscriptions").where("tenant", .equal, name).orderBy("pool").all()
                .map { try $0.decode(column: "pool", as: String.self) }
            if !pools.isEmpty {
                throw StoreError.inUse(entity: "tenant", name: name, reason: "it subscribes to \(Self.list(pools, "pool")); remove the subscriptions first")
            }
            if try await db.select().column("id").from("load_tests").where("tenant", .equal, name)
                .where("status", .in, Self.activeLoadTestStatuses).first() != nil {
                throw StoreError.inUse(entity: "tenant", name: name, reason: "a load test of it is active; cancel it first")
            }
            let users = try await db.select().column("id").from("users").where("tenant", .equal, name).all()
                .map { try $0.decode(column: "id", as: String.self) }
            if !users.isEmpty {
                try await db.delete(from: "sessions").where("user_id", .in, users).run()
                try await db.delete(from: "api_keys").where("user_id", .in, users).run()
            }
            try await db.delete(from: "users").where("tenant", .equal, name).run()
            try await db.delete(from: "enrolment_tokens").where("tenant", .equal, name).run()
            try await db.delete(from: "load_tests").where("tenant", .equal, name).run()
            try await db.delete(from: "diagnostic_runs").where("tenant", .equal, name).run()
            try await db.delete(from: "tenants").where("name", .equal, name).run()
        }
    }

    /// A pool goes once no node contributes to it and no tenant subscribes to it; its enrolment
    /// tokens (which would register a node into it) go with it. The ledger keeps the pool's name.
    func removePool(name: String) async throws {
        try Validate.name(name, field: "pool")
        try await write { db in
            guard try await Self.exists(db, "pools", "name", name) else { throw StoreError.notFound(entity: "pool", id: name) }
            let nodes = try await db.select().column("name").from("nodes").where("holding_pool", .equal, name).orderBy("name").all()
                .map { try $0.decode(column: "name", as: String.self) }
            if !nodes.isEmpty {
                throw StoreError.inUse(entity: "pool", name: name, reason: "\(Self.list(nodes, "node")) contribute to it; remove them first")
            }
            let tenants = try await db.select().column("tenant").from("subscriptions").where("pool", .equal, name).orderBy("tenant").all()
                .map { try $0.decode(column: "tenant", as: String.self) }
            if !tenants.isEmpty {
                throw StoreError.inUse(entity: "pool", name: name, reason: "\(Self.list(tenants, "tenant")) subscribe to it; remove the subscriptions first")
            }
            try await db.delete(from: "enrolment_tokens").where("pool", .equal, name).run()
            try await db.delete(from: "pools").where("name", .equal, name).run()
        }
    }

    /// A user goes with its keys and sessions (signed-in pages end on their next request). Usage
    /// the keys metered stays in the ledger under the key's id.
    func removeUser(id: String) async throws {
        try Validate.text(id, field: "id", maxLength: 64)
        try await write { db in
            guard try await Self.exists(db, "users", "id", id) else { throw StoreError.notFound(entity: "user", id: id) }
            try await db.delete(from: "sessions").where("user_id", .equal, id).run()
            try await db.delete(from: "api_keys").where("user_id", .equal, id).run()
            try await db.delete(from: "users").where("id", .equal, id).run()
        }
    }

    /// "node 'a'" / "3 nodes (a, b, c)" for a removal's reason.
    static func list(_ names: [String], _ noun: String) -> String {
        names.count == 1 ? "\(noun) '\(names[0])'" : "\(names.count) \(noun)s (\(names.prefix(5).joined(separator: ", "))\(names.count > 5 ? ", …" : ""))"
    }
}
