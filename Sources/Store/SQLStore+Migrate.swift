import SQLKit
import Logging

extension SQLStore {
    /// Creates `schema_migrations` when missing, then applies each pending migration in its own
    /// transaction together with its `schema_migrations` row: a crash mid-migration leaves either
    /// the old schema or the new one, never half of it. Safe to run on every start, and from two
    /// processes at once (see `Dialect.migrationLock`).
    func migrate() async throws {
        let dialect = self.dialect
        try await backend.transaction { db in
            // Under the lock too: two replicas creating the table at once on a fresh PostgreSQL
            // collide in its catalogue (a duplicate `pg_type` row) despite IF NOT EXISTS.
            if let lock = dialect.migrationLock { try await db.raw(lock).run() }
            try await db.create(table: "schema_migrations").ifNotExists()
                .column("version", type: .bigint, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("applied_at", type: .bigint, .notNull)
                .run()
        }
        for migration in Migrations.all {
            let applied = try await backend.transaction { db in
                if let lock = dialect.migrationLock { try await db.raw(lock).run() }
                let done = try await db.select().column("version").from("schema_migrations")
                    .where("version", .equal, Int64(migration.version)).first() != nil
                if done { return false }
                try await migration.apply(db, dialect)
                try await db.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at")
                    .values(SQLBind(Int64(migration.version)), SQLBind(migration.name), SQLBind(Timestamp.now().millis))
                    .run()
                return true
            }
            if applied {
                logger.info("applied schema migration", metadata: [
                    "version": "\(migration.version)", "name": "\(migration.name)",
                ])
            }
        }
    }

    /// Versions recorded in `schema_migrations`, ascending; for tests and diagnostics.
    func appliedMigrations() async throws -> [Int] {
        try await read { db in
            try await db.select().column("version").from("schema_migrations").orderBy("version").all()
                .map { Int(try $0.decode(column: "version", as: Int64.self)) }
        }
    }
}
