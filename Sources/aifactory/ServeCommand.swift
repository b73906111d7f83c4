import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PrometheusClient
import Server
import Store

/// `aifactory serve`: the AI Factory HTTP server on its own (the demo starts it for you).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the AI Factory API server.")

    @Option(help: "Address to listen on (host:port).")
    var listen = "127.0.0.1:8080"

    @OptionGroup var database: StoreOptions

    @Option(name: .customLong("prometheus-url"), help: "Base URL of the Prometheus-compatible backend.")
    var prometheusURL: String?

    @Option(name: .customLong("sd-token-file"), help: "File with the bearer token Prometheus presents to /sd/prometheus (endpoint off without it).")
    var sdTokenFile: String?

    func validate() throws {
        _ = try ListenAddress(listen)
    }

    func run() async throws {
        LoggingSetup.bootstrap()
        let logger = Logger(label: "aifactory.serve")
        let address = try ListenAddress(listen)
        var token: String?
        if let sdTokenFile {
            guard let text = try? String(contentsOfFile: sdTokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), text.count >= 16 else {
                CLIErrors.printError("--sd-token-file \(sdTokenFile) must exist and hold a token of at least 16 characters")
                throw ExitCode(2)
            }
            token = text
        }
        let store = CachingStore(try await database.open(logger: logger))
        let dependencies = ServerDependencies(
            store: store,
            serviceDiscoveryToken: token,
            prometheus: prometheusURL.map { PrometheusClient(baseURL: $0) }
        )
        let app = buildApplication(ServerConfiguration(host: address.host, port: address.port, prometheusURL: prometheusURL), dependencies: dependencies)
        do {
            try await app.runService()
            try? await store.close()
        } catch {
            try? await store.close()
            try CLIErrors.exit(for: error, context: "cannot listen on \(listen)")
        }
    }
}
