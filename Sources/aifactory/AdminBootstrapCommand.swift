import ArgumentParser
import Foundation
import Logging
import Fleet
import Store

/// `aifactory admin bootstrap`: the first site operator and its key, written straight to the
/// database (there is no key yet to call the API with). Prints the key once.
struct AdminBootstrapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap",
        abstract: "Create a site operator and its first API key directly in the database."
    )

    @Option(name: .customLong("state-dir"), help: "Directory of the embedded SQLite database.")
    var stateDirectory = "state"

    @Option(name: .customLong("database-url"), help: "PostgreSQL URL instead of the embedded SQLite.")
    var databaseURL: String?

    @Option(help: "Operator user name.")
    var name = "operator"

    func run() async throws {
        let logger = Logger(label: "aifactory.admin")
        let store: any Store
        do {
            if let databaseURL {
                store = try await StoreFactory.postgres(url: databaseURL, logger: logger)
            } else {
                try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
                store = try await StoreFactory.sqlite(path: stateDirectory + "/aifactory.sqlite", logger: logger)
            }
        } catch {
            try CLIErrors.exit(for: error, context: "cannot open the database")
        }
        do {
            let existing = try await store.users(tenant: nil).first { $0.name == name && $0.isOperator }
            let user: User
            if let existing {
                user = existing
            } else {
                user = try await store.createUser(name: name, tenant: nil, kind: .siteOperator)
            }
            let (record, plaintext) = try await store.createAPIKey(userID: user.id, label: "bootstrap")
            try await store.appendAudit(actor: "cli bootstrap", action: "key.create", target: record.id, detail: #"{"user":"\#(user.id)"}"#)
            try await store.close()
            print("operator \(user.name) (\(user.id)) key \(record.id):")
            print(plaintext)
        } catch let error as StoreError {
            try? await store.close()
            CLIErrors.printError(error.userMessage)
            throw ExitCode(2)
        }
    }
}
