import Foundation
import Logging
import NIOPosix
import PostgresKit

/// Replicas on one PostgreSQL (docs/DEPLOY.md "Replicas").
///
/// - **Leases** are session-level advisory locks, each held on a connection of its own (never a
///   pooled one, which would hand the lock to whatever borrowed it next). The lock lives exactly as
///   long as that session: when the leader process dies, PostgreSQL ends its session and another
///   replica's next try (every `retry`) takes the lease over.
/// - **Fencing**: the leader checks its session every `checkInterval` (a round trip on the lock's
///   connection) and cancels the leading body the moment the check fails, before it could have
///   noticed any successor. PostgreSQL frees the lock only after it has seen that session end, so
///   two bodies overlap at most by the time the old one takes to honour cancellation; the event
///   recorder's writes are deduplicated inside each transaction, so an overlap can at most record
///   one occurrence in two steps, never two events.
/// - **Changes** arrive by `LISTEN` on a connection of its own: a statement trigger on the cached
///   tables (migration 10) calls `pg_notify` in the writing transaction, which PostgreSQL delivers
///   on commit to every listener, this replica included.
struct PostgresCluster: Cluster {
    static let channel = "aifactory_store_changes"

    let configuration: PostgresConnection.Configuration
    /// How often a leader checks that its lock's session is alive.
    let checkInterval: Duration

    init(configuration: PostgresConnection.Configuration, checkInterval: Duration = .seconds(1)) {
        self.configuration = configuration
        self.checkInterval = checkInterval
    }

    var isShared: Bool { true }

    func leading(_ lease: ClusterLease, retry: Duration, logger: Logger, _ body: @escaping @Sendable () async throws -> Void) async throws {
        while true {
            try Task.checkCancellation()
            let connection: PostgresConnection
            do {
                connection = try await connect(logger: logger)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning("cannot reach PostgreSQL to take the \(lease) lease; trying again", metadata: ["error": "\(String(reflecting: error))"])
                try await Task.sleep(for: retry)
                continue
            }
            let finished: Bool
            do {
                finished = try await lead(lease, on: connection, logger: logger, body)
            } catch {
                try? await connection.close()
                throw error
            }
            try? await connection.close()
            if finished { return }
            try await Task.sleep(for: retry)
        }
    }

    /// One try on one connection: `true` when `body` ran to its end, `false` when the lease was
    /// not free or was lost (try again).
    private func lead(_ lease: ClusterLease, on connection: PostgresConnection, logger: Logger,
                      _ body: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        let held: Bool
        do {
            held = try await connection.query("SELECT pg_try_advisory_lock(\(lease.rawValue))", logger: logger)
                .decode(Bool.self).reduce(false) { $0 || $1 }
        } catch {
            logger.warning("could not try the \(lease) lease", metadata: ["error": "\(String(reflecting: error))"])
            return false
        }
        guard held else { return false }
        logger.notice("this replica now runs the \(lease)")
        let check = checkInterval
        let outcome = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await body()
                return true
            }
            group.addTask {
                // The fence: any failed round trip on the lock's session ends the body.
                while true {
                    try await Task.sleep(for: check)
                    do {
                        try await connection.query("SELECT 1", logger: logger)
                    } catch {
                        logger.error("lost the \(lease) lease (its PostgreSQL session failed); stopping it here",
                                     metadata: ["error": "\(String(reflecting: error))"])
                        return false
                    }
                }
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
        if outcome {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(lease.rawValue))", logger: logger)
        }
        return outcome
    }

    func watchChanges(logger: Logger, _ changed: @escaping @Sendable () async -> Void) async throws {
        while true {
            try Task.checkCancellation()
            do {
                let connection = try await connect(logger: logger)
                do {
                    try await connection.listen(on: Self.channel) { notifications in
                        // Changes committed while nobody listened are unknown: start from nothing.
                        await changed()
                        for try await _ in notifications { await changed() }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if Task.isCancelled { throw CancellationError() }
                logger.warning("lost the PostgreSQL change feed; caches expire on their own until it is back",
                               metadata: ["error": "\(String(reflecting: error))"])
            }
            try await Task.sleep(for: .seconds(1))
        }
    }

    private func connect(logger: Logger) async throws -> PostgresConnection {
        try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: Int.random(in: 0..<Int.max), logger: logger)
    }
}
