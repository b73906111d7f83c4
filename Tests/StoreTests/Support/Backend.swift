import Foundation
import Logging
@testable import Store
import Testing

/// The databases the shared suite runs against.
///
/// PostgreSQL needs `AIFACTORY_TEST_POSTGRES_URL` (set by `scripts/with-postgres.sh`). Without it the
/// PostgreSQL cases are skipped on a developer machine but fail when `CI=true`, so CI can never pass
/// by silently not testing PostgreSQL.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static let postgresURLVariable = "AIFACTORY_TEST_POSTGRES_URL"

    static var logger: Logger {
        var logger = Logger(label: "store-tests")
        logger.logLevel = .warning
        return logger
    }

    /// For tests that provoke connection errors on purpose, so the expected failure is not logged.
    static var silentLogger: Logger {
        var logger = Logger(label: "store-tests")
        logger.logLevel = .critical
        return logger
    }

    /// A fresh, migrated, empty store of this kind, or `nil` when PostgreSQL is not configured off CI.
    func makeStore() async throws -> TestDatabase? {
        guard let location = try await TestDatabase.Location.fresh(self) else { return nil }
        return try await TestDatabase(location: location)
    }
}

/// One scratch database: a temp SQLite file or a new PostgreSQL database in the test cluster.
struct TestDatabase: Sendable {
    enum Location: Sendable {
        case sqlite(path: String)
        case postgres(url: String)

        static func fresh(_ backend: Backend) async throws -> Location? {
            switch backend {
            case .sqlite:
                let dir = FileManager.default.temporaryDirectory
                    .appendingPathComponent("aifactory-store-\(UUID().uuidString)", isDirectory: true)
                return .sqlite(path: dir.appendingPathComponent("aifactory.sqlite").path)
            case .postgres:
                let environment = ProcessInfo.processInfo.environment
                guard let base = environment[Backend.postgresURLVariable], !base.isEmpty else {
                    if environment["CI"] == "true" {
                        Issue.record("\(Backend.postgresURLVariable) is unset with CI=true: run the tests under scripts/with-postgres.sh")
                    }
                    return nil
                }
                // Each test gets its own database so tests run in parallel without sharing names.
                let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
                let admin = try await SQLStore.openPostgres(url: base, logger: Backend.logger)
                do {
                    try await admin.executeUnsafe("CREATE DATABASE \(name)")
                } catch {
                    try? await admin.close()
                    throw error
                }
                try await admin.close()
                return .postgres(url: replacingDatabase(in: base, with: name))
            }
        }

        static func replacingDatabase(in url: String, with name: String) -> String {
            guard var components = URLComponents(string: url) else { return url }
            components.path = "/" + name
            return components.string ?? url
        }
    }

    let location: Location
    let store: any Store

    init(location: Location) async throws {
        self.location = location
        self.store = try await Self.open(location)
    }

    /// Opens the same database again through the production entry point (which migrates).
    static func open(_ location: Location) async throws -> any Store {
        switch location {
        case .sqlite(let path): try await StoreFactory.sqlite(path: path, logger: Backend.logger)
        case .postgres(let url): try await StoreFactory.postgres(url: url, logger: Backend.logger)
        }
    }

    func reopen() async throws -> any Store {
        try await Self.open(location)
    }

    /// The store as the implementation type, for raw checks.
    var sql: SQLStore {
        get throws { try #require(store as? SQLStore) }
    }

    /// Closes the store and removes the scratch files (SQLite); PostgreSQL databases die with the cluster.
    func close() async throws {
        try await store.close()
        if case .sqlite(let path) = location {
            try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
        }
    }
}

/// Runs `body` with a fresh store of `backend`, closing it afterwards even when `body` throws.
func withStore(_ backend: Backend, _ body: (TestDatabase) async throws -> Void) async throws {
    guard let database = try await backend.makeStore() else { return }
    do {
        try await body(database)
    } catch {
        try? await database.close()
        throw error
    }
    try await database.close()
}
