import ArgumentParser
import Fleet
import Foundation
import Hummingbird
import Logging
import PrometheusClient
import Server
import ServiceLifecycle
import Stack
import Store
import Telemetry
import UnixSignals

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

    @Option(name: .customLong("health-limits"), help: "YAML file overriding health thresholds (docs/HEALTH.md); keys left out keep their default.")
    var healthLimits: String?

    @Option(name: .customLong("events-interval"), help: "Seconds between event-recorder polls of Prometheus (XID, ECC, thermal, … events).")
    var eventsInterval = 15

    @Option(name: .customLong("events-retention-days"), help: "Days an event is kept after it was last seen.")
    var eventsRetentionDays = 30

    func validate() throws {
        guard (1...3600).contains(eventsInterval) else { throw ValidationError("--events-interval must be between 1 and 3600 seconds") }
        guard (1...3650).contains(eventsRetentionDays) else { throw ValidationError("--events-retention-days must be between 1 and 3650") }
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
        let limits = try HealthLimitsOption.load(healthLimits)
        let store = CachingStore(try await database.open(logger: logger))
        let model = HealthModel(limits: limits)
        let loadTests = LoadTestManager(store: store, logger: logger)
        var dependencies = ServerDependencies(
            store: store,
            serviceDiscoveryToken: token,
            prometheus: prometheusURL.map { PrometheusClient(baseURL: $0) },
            healthModel: model
        )
        dependencies.loadTests = loadTests
        let app = buildApplication(ServerConfiguration(host: address.host, port: address.port, prometheusURL: prometheusURL), dependencies: dependencies)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: app), .init(service: loadTests)]
        if let prometheusURL {
            // XID/ECC/thermal transitions become stored events only while something polls for them.
            let recorder = EventRecorder(
                store: store, backend: PrometheusClient(baseURL: prometheusURL), model: model,
                retention: .seconds(eventsRetentionDays * 24 * 3600)
            )
            services.append(.init(service: EventRecorderService(recorder: recorder, interval: .seconds(eventsInterval))))
        }
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger
        ))
        do {
            try await group.run()
            try? await store.close()
        } catch {
            try? await store.close()
            try CLIErrors.exit(for: error, context: "cannot listen on \(listen)")
        }
    }
}
