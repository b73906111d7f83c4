import SQLKit

/// A connection source that runs work either as a plain read or inside one transaction.
///
/// `SQLStore` is written against this seam only, so the same statements run on SQLite and
/// PostgreSQL; each backend decides how connections are held and how transactions are opened.
protocol DatabaseBackend: Sendable {
    var dialect: Dialect { get }
    /// Runs `body` with a database handle for reads; no transaction is opened.
    func read<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs `body` in one transaction on one connection: committed when it returns, rolled back when it throws.
    func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    func close() async throws
}

extension DatabaseBackend {
    /// The BEGIN/COMMIT/ROLLBACK frame shared by both backends, on a handle bound to one connection.
    ///
    /// Once begun, a transaction runs to COMMIT or ROLLBACK even when the caller is cancelled: the
    /// frame runs in a task of its own that the caller awaits. A cancelled frame used to fail its
    /// ROLLBACK too and leave the connection inside an open transaction, after which every later
    /// write on SQLite's single connection failed ("cannot start a transaction within a transaction").
    func runTransaction<R: Sendable>(
        on db: any SQLDatabase, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        try await Task { try await frame(on: db, body) }.value
    }

    private func frame<R: Sendable>(
        on db: any SQLDatabase, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        try await db.raw(dialect.begin).run()
        do {
            let result = try await body(db)
            try await db.raw("COMMIT").run()
            return result
        } catch {
            // A failed ROLLBACK (connection gone) must not mask the original error.
            try? await db.raw("ROLLBACK").run()
            throw error
        }
    }
}
