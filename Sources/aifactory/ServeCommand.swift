import ArgumentParser
import Foundation
import Hummingbird
import Server

/// `aifactory serve`: the AI Factory HTTP server on its own (the demo starts it for you).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the AI Factory API server.")

    @Option(help: "Address to listen on (host:port).")
    var listen = "127.0.0.1:8080"

    @Option(name: .customLong("prometheus-url"), help: "Base URL of the Prometheus-compatible backend.")
    var prometheusURL: String?

    func validate() throws {
        _ = try ListenAddress(listen)
    }

    func run() async throws {
        LoggingSetup.bootstrap()
        let address = try ListenAddress(listen)
        let app = buildApplication(ServerConfiguration(host: address.host, port: address.port, prometheusURL: prometheusURL))
        do {
            try await app.runService()
        } catch {
            try CLIErrors.exit(for: error, context: "cannot listen on \(listen)")
        }
    }
}
