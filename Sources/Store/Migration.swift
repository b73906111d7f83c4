import SQLKit

/// One schema step, applied at most once per database and recorded in `schema_migrations`.
///
/// Migrations are append-only: a released migration is never edited (databases in the field have
/// already run it); a change is a new migration with the next version.
struct Migration: Sendable {
    var version: Int
    var name: String
    var apply: @Sendable (any SQLDatabase, Dialect) async throws -> Void
}
