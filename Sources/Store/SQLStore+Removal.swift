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
                .where("node", .equal, name).where("status", .in, ["queued", "running"]).first() {
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
}
