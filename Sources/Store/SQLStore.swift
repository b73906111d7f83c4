import Fleet
import Foundation
import Logging
import SQLKit

/// The one `Store` implementation, over sql-kit, for both SQLite and PostgreSQL.
///
/// Statements are built with sql-kit's builders and are the same for both databases; the few
/// differences live in `Dialect`, and connection handling in the two `DatabaseBackend`s. Each public
/// method validates first, then does all its reads and writes in one transaction, so a failed call
/// changes nothing.
final class SQLStore: Store {
    let backend: any DatabaseBackend
    let logger: Logger

    init(backend: any DatabaseBackend, logger: Logger) {
        self.backend = backend
        self.logger = logger
    }

    static func openSQLite(path: String, logger: Logger) async throws -> SQLStore {
        SQLStore(backend: try await SQLiteBackend.open(path: path, logger: logger), logger: logger)
    }

    static func openPostgres(url: String, logger: Logger) async throws -> SQLStore {
        SQLStore(backend: try await PostgresBackend.open(url: url, logger: logger), logger: logger)
    }

    var dialect: Dialect { backend.dialect }

    /// PostgreSQL's replicas coordinate (`PostgresCluster`); SQLite is one process.
    var cluster: any Cluster { (backend as? PostgresBackend)?.cluster ?? SingleProcessCluster() }

    func close() async throws {
        try await backend.close()
    }

    /// Runs a write transaction, turning a unique violation that slipped past the existence check
    /// (a concurrent writer) into the same `.duplicate` error the check would have thrown.
    func write<R: Sendable>(
        duplicate: StoreError? = nil,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        do {
            return try await backend.transaction(body)
        } catch let error as StoreError {
            throw error
        } catch {
            if let duplicate, dialect.isUniqueViolation(error) { throw duplicate }
            throw error
        }
    }

    func read<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await backend.read(body)
    }

    /// `true` when `table` has a row whose `column` equals `value`.
    static func exists(_ db: any SQLDatabase, _ table: String, _ column: String, _ value: String) async throws -> Bool {
        try await db.select().column(column).from(table).where(column, .equal, value).limit(1).first() != nil
    }

    /// Binds an optional value as a parameter or as SQL `NULL`.
    static func bind(_ value: String?) -> any SQLExpression {
        value.map { SQLBind($0) } ?? SQLLiteral.null
    }

    static func bind(_ value: Int64?) -> any SQLExpression {
        value.map { SQLBind($0) } ?? SQLLiteral.null
    }

    /// A random id with a type prefix (`u_`, `k_`, `s_`), 64 bits: unguessable enough for ids that
    /// are never secrets, short enough to read in logs.
    static func newID(_ prefix: String) -> String {
        prefix + APIKeyMaterial.randomHex(bytes: 8)
    }
}
