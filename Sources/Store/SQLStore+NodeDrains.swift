import Foundation
import SQLKit

/// Nodes out of the gateway's routing, shared by every replica on the store (docs/GATEWAY.md
/// "Draining").
extension SQLStore {
    func setNodeDrain(node: String, reason: String?, at time: Date) async throws -> Bool {
        try Validate.name(node, field: "node")
        if let reason { try Validate.text(reason, field: "reason", maxLength: 256) }
        return try await write { db in
            guard try await Self.exists(db, "nodes", "name", node) else { throw StoreError.notFound(entity: "node", id: node) }
            let drained = try await Self.exists(db, "node_drains", "node", node)
            if let reason {
                guard !drained else { return false }
                try await db.insert(into: "node_drains").columns("node", "reason", "since")
                    .values(SQLBind(node), SQLBind(reason), SQLBind(Timestamp.millis(time))).run()
                return true
            }
            guard drained else { return false }
            try await db.delete(from: "node_drains").where("node", .equal, node).run()
            return true
        }
    }

    func nodeDrains() async throws -> [NodeDrain] {
        try await read { db in
            try await db.select().columns("node", "reason", "since").from("node_drains").orderBy("node").all().map { row in
                NodeDrain(node: try row.decode(column: "node", as: String.self), reason: try row.decode(column: "reason", as: String.self),
                          since: Timestamp.date(try row.decode(column: "since", as: Int64.self)))
            }
        }
    }
}
