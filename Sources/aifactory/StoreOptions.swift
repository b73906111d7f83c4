import ArgumentParser
import Foundation
import Logging
import Store

/// `--state-dir` / `--database-url`: which database a command opens.
///
/// The embedded SQLite file is the default; a PostgreSQL URL switches to the scale-out store.
/// Both go through the same `Store` protocol, so commands never care which one they got.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("state-dir"), help: "Directory of the embedded SQLite database (aifactory.sqlite).")
    var stateDirectory = "state"

    @Option(name: .customLong("database-url"),
            help: "PostgreSQL URL (postgres://…) instead of the embedded SQLite. With a password, prefer the AIFACTORY_DATABASE_URL environment variable: `ps` shows command lines to every user.")
    var databaseURLOption: String?

    /// `--database-url`, else `AIFACTORY_DATABASE_URL` (an environment file keeps the password
    /// out of the process list).
    var databaseURL: String? {
        if let databaseURLOption { return databaseURLOption }
        let variable = ProcessInfo.processInfo.environment["AIFACTORY_DATABASE_URL"] ?? ""
        return variable.isEmpty ? nil : variable
    }

    func validate() throws {
        if let databaseURL, !(databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://")) {
            throw ValidationError("--database-url (or AIFACTORY_DATABASE_URL) must start with postgres:// or postgresql://")
        }
    }

    /// Opens (and migrates) the store; a failure is one line on stderr and exit 1.
    func open(logger: Logger) async throws -> any Store {
        do {
            if let databaseURL {
                return try await StoreFactory.postgres(url: databaseURL, logger: logger)
            }
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
            return try await StoreFactory.sqlite(path: stateDirectory + "/aifactory.sqlite", logger: logger)
        } catch let error as StoreError {
            CLIErrors.printError("cannot open the database: \(error.userMessage)")
            throw ExitCode.failure
        } catch {
            try CLIErrors.exit(for: error, context: "cannot open the database")
        }
    }
}
