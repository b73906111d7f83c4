import Fleet
import SQLKit

extension SQLStore {
    func createTenant(name: String, displayName: String) async throws -> Tenant {
        try Validate.name(name)
        try Validate.text(displayName, field: "displayName")
        let now = Timestamp.now()
        let tenant = Tenant(name: name, displayName: displayName, createdAt: now.date)
        let duplicate = StoreError.duplicate(entity: "tenant", name: name)
        return try await write(duplicate: duplicate) { db in
            if try await Self.exists(db, "tenants", "name", name) { throw duplicate }
            try await db.insert(into: "tenants")
                .columns("name", "display_name", "created_at")
                .values(SQLBind(name), SQLBind(displayName), SQLBind(now.millis))
                .run()
            return tenant
        }
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
