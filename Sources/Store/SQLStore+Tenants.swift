import Foundation
import Fleet
import SQLKit

extension SQLStore {
    func createTenant(name: String, displayName: String) async throws -> Tenant {
        let created = try await insertNamed(table: "tenants", entity: "tenant", name: name, displayName: displayName)
        return Tenant(name: name, displayName: displayName, createdAt: created.date)
    }

    /// Validates and inserts a row of a `(name, display_name, created_at)` table (tenants, pools),
    /// refusing a duplicate name with `.duplicate(entity:name:)`; returns the creation time.
    func insertNamed(table: String, entity: String, name: String, displayName: String) async throws -> (date: Date, millis: Int64) {
        try Validate.name(name)
        try Validate.text(displayName, field: "displayName")
        let now = Timestamp.now()
        let duplicate = StoreError.duplicate(entity: entity, name: name)
        try await write(duplicate: duplicate) { db in
            if try await Self.exists(db, table, "name", name) { throw duplicate }
            try await db.insert(into: table)
                .columns("name", "display_name", "created_at")
                .values(SQLBind(name), SQLBind(displayName), SQLBind(now.millis))
                .run()
        }
        return now
    }

    func tenant(named name: String) async throws -> Tenant? {
        try await read { db in
            try await db.select().column("*").from("tenants").where("name", .equal, name).first()?.tenant()
        }
    }

    func tenants() async throws -> [Tenant] {
        try await read { db in
            try await db.select().column("*").from("tenants").orderBy("name").all().map { try $0.tenant() }
        }
    }
}
