import ArgumentParser
import Foundation
import Gateway
import Hummingbird
import Logging
import ServiceLifecycle
import Stack
import Store
import UnixSignals

/// `aifactory gateway`: the inference gateway on its own (docs/GATEWAY.md): OpenAI-compatible
/// proxy in front of the pools' vLLM nodes, reading keys, subscriptions, the inventory and the
/// usage ledger from the same database as `serve`.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Run the inference gateway: metering, quotas, rate limits (429 + Retry-After) and routing across a pool.")

    @Option(help: "Address to listen on (host:port).")
    var listen = "127.0.0.1:8100"

    @OptionGroup var database: StoreOptions

    @Option(name: .customLong("first-byte-timeout"), help: "Seconds until the upstream must answer with its response head (504 otherwise).")
    var firstByteTimeout = 30

    @Option(name: .customLong("total-timeout"), help: "Seconds a request may take in all, stream included.")
    var totalTimeout = 600

    @Option(name: .customLong("max-body-bytes"), help: "Largest request body accepted (413 beyond).")
    var maxBodyBytes = 1 << 20

    @Option(help: "JSON plans file ({\"plans\": [{\"name\", \"maxTokens\", \"requestsPerSecond\", \"tokensPerMinute\", \"concurrentStreams\", \"models\"?, \"keyShare\"?}]}); listed plans replace the defaults of that name (docs/GATEWAY.md).")
    var plans: String?

    @Option(name: .customLong("prometheus-url"), help: "Prometheus with the pool's vLLM metrics: routing then also weighs vllm:num_requests_running and KV-cache usage where fresh (docs/GATEWAY.md).")
    var prometheusURL: String?

    func validate() throws {
        _ = try ListenAddress(listen)
        guard (1...600).contains(firstByteTimeout) else { throw ValidationError("--first-byte-timeout must be between 1 and 600 seconds") }
        guard (1...86_400).contains(totalTimeout), totalTimeout >= firstByteTimeout else {
            throw ValidationError("--total-timeout must be between --first-byte-timeout and 86400 seconds")
        }
        guard (1024...(64 << 20)).contains(maxBodyBytes) else { throw ValidationError("--max-body-bytes must be between 1024 and 67108864") }
        if let plans {
            do { _ = try GatewayPlans.load(path: plans) } catch { throw ValidationError("--plans: \(error)") }
        }
    }

    func run() async throws {
        var logger = Logger(label: "aifactory.gateway")
        logger.logLevel = .info
        let address = try ListenAddress(listen)
        let store = CachingStore(try await database.open(logger: logger))
        let pool = UpstreamPool()
        let gateway = Gateway(
            store: store, plans: try plans.map(GatewayPlans.load) ?? .defaults, pool: pool,
            timeouts: .init(firstByte: .seconds(firstByteTimeout), total: .seconds(totalTimeout)),
            maxBodyBytes: maxBodyBytes, logger: logger)
        let app = Application(
            router: gateway.router(), configuration: .init(address: .hostname(address.host, port: address.port), serverName: "aifactory-gateway"),
            logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: app)]
        // On PostgreSQL beside serve replicas: a key revoked there is refused here at once.
        services.append(.init(service: StoreChangeListener(store: store, logger: logger)))
        if let prometheusURL {
            services.append(.init(service: GatewayLoadSource.polling(pool: pool, prometheusURL: prometheusURL, logger: logger)))
        }
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger))
        do {
            try await group.run()
            try? await store.close()
        } catch {
            try? await store.close()
            try CLIErrors.exit(for: error, context: "cannot listen on \(listen)")
        }
    }
}
