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

    @OptionGroup var database: StoreOptions

    @Option(help: "Operator user name.")
    var name = "operator"

    func run() async throws {
        let logger = Logger(label: "aifactory.admin")
        let store = try await database.open(logger: logger)
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
