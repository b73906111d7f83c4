import Foundation
import Logging
import NIOPosix
import SQLKit
import SQLiteKit

/// The embedded database: one SQLite file in WAL mode, one connection, transactions serialised.
///
/// One connection is enough for an admin-and-inventory workload and avoids `SQLITE_BUSY` between
/// our own connections; other processes (the CLI) are handled by `busy_timeout` and `BEGIN IMMEDIATE`.
///
/// Durability settings, applied on every open:
/// - `journal_mode=WAL`: a crash (including `kill -9`) mid-write leaves the main file untouched and
///   the half-written WAL frames are ignored on the next open; readers do not block the writer.
/// - `synchronous=FULL`: the WAL is fsynced at every commit, so a committed row survives power loss,
///   not only a process crash (`NORMAL` would survive `kill -9` but could lose the last commits on a
///   power cut). Writes here are rare admin actions, so the extra fsync costs nothing that matters.
/// - `foreign_keys=ON`: SQLite leaves it off by default; holdings and keys rely on it.
final class SQLiteBackend: DatabaseBackend {
    let dialect = Dialect.sqlite
    private let connection: SQLiteConnection
    private let lock = AsyncSerialLock()
    private let database: any SQLDatabase

    private init(connection: SQLiteConnection) {
        self.connection = connection
        self.database = connection.sql(queryLogLevel: .trace)
    }

    static func open(path: String, logger: Logger) async throws -> SQLiteBackend {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            logger.error("cannot create database directory", metadata: ["path": "\(path)", "error": "\(error)"])
            throw StoreError.unavailable("cannot create the database directory")
        }
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            logger.error("cannot open SQLite database", metadata: ["path": "\(path)", "error": "\(error)"])
            throw StoreError.unavailable("cannot open the SQLite database")
        }
        do {
            // busy_timeout first: the WAL switch itself needs a lock another process may hold.
            for pragma in ["PRAGMA busy_timeout = 5000", "PRAGMA journal_mode = WAL",
                           "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"] {
                _ = try await connection.query(pragma)
            }
            let mode = try await connection.query("PRAGMA journal_mode").first?.column("journal_mode")?.string
            guard mode?.lowercased() == "wal" else {
                throw StoreError.unavailable("the SQLite database could not be switched to WAL mode")
            }
        } catch {
            try? await connection.close()
            if error is StoreError { throw error }
            logger.error("cannot configure SQLite database", metadata: ["path": "\(path)", "error": "\(error)"])
            throw StoreError.unavailable("cannot open the SQLite database")
        }
        return SQLiteBackend(connection: connection)
    }

    func read<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let database = self.database
        return try await lock.withLock { try await body(database) }
    }

    func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let database = self.database
        return try await lock.withLock { try await self.runTransaction(on: database, body) }
    }

    func close() async throws {
        let connection = self.connection
        try await lock.withLock { try await connection.close() }
    }
}
