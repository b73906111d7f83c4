@preconcurrency import AsyncKit
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit

/// PostgreSQL for scale-out: a small connection pool; each transaction holds one pooled connection.
final class PostgresBackend: DatabaseBackend {
    /// Connections per store. Admin and inventory traffic is light; the server shares one store.
    static let maxConnections = 4

    let dialect = Dialect.postgres
    private let pool: EventLoopGroupConnectionPool<PostgresConnectionSource>
    private let database: any SQLDatabase
    /// Leases and the change feed, each on a connection of its own outside the pool.
    let cluster: PostgresCluster

    private init(pool: EventLoopGroupConnectionPool<PostgresConnectionSource>, configuration: SQLPostgresConfiguration, logger: Logger) {
        self.pool = pool
        self.database = pool.database(logger: logger).sql(queryLogLevel: .trace)
        self.cluster = PostgresCluster(configuration: configuration.coreConfiguration)
    }

    /// Parses `url` and connects once, so a wrong URL or a down server fails at startup, not at the
    /// first request. Error messages never repeat the URL: it may carry a password.
    static func open(url: String, logger: Logger) async throws -> PostgresBackend {
        let configuration: SQLPostgresConfiguration
        do {
            configuration = try SQLPostgresConfiguration(url: url)
        } catch {
            throw StoreError.invalid(
                field: "databaseURL",
                reason: "expected postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]")
        }
        // One event loop, so `maxConnections` is the total: a pool over every core's loop would open
        // 2 × cores connections per process and exhaust PostgreSQL's `max_connections` on big hosts.
        let pool = EventLoopGroupConnectionPool(
            source: PostgresConnectionSource(sqlConfiguration: configuration),
            maxConnectionsPerEventLoop: Self.maxConnections,
            requestTimeout: .seconds(10),
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.next())
        let backend = PostgresBackend(pool: pool, configuration: configuration, logger: logger)
        do {
            _ = try await backend.database.raw("SELECT 1").all()
        } catch {
            logger.error("cannot connect to PostgreSQL", metadata: ["error": "\(String(reflecting: error))"])
            try? await pool.shutdownAsync()
            throw StoreError.unavailable("cannot connect to PostgreSQL")
        }
        return backend
    }

    func read<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await body(database)
    }

    func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await database.withSession { session in
            try await self.runTransaction(on: session, body)
        }
    }

    func close() async throws {
        try await pool.shutdownAsync()
    }
}
