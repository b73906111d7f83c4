import ArgumentParser
import Fleet
import Foundation
import Gateway
import Hummingbird
import LoadTest
import LoadTestService
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

    @Option(name: .customLong("prometheus-header"),
            help: "Header sent with every backend read, 'Name: value' (repeatable), e.g. 'X-Scope-OrgID: ai-factory' for Mimir or Cortex.")
    var prometheusHeaders: [String] = []

    @Option(name: .customLong("prometheus-param"),
            help: "Parameter added to every backend query, series and label read, name=value (repeatable), e.g. dedup=true or partial_response=false for Thanos.")
    var prometheusParams: [String] = []

    @Option(name: .customLong("prometheus-bearer-token-file"), help: "File whose first line is the bearer token for the metrics backend.")
    var prometheusBearerTokenFile: String?

    @Option(name: .customLong("prometheus-basic-auth-user"), help: "Basic-auth user for the metrics backend (the password comes from --prometheus-basic-auth-password-file).")
    var prometheusBasicAuthUser: String?

    @Option(name: .customLong("prometheus-basic-auth-password-file"), help: "File whose first line is the metrics backend's basic-auth password.")
    var prometheusBasicAuthPasswordFile: String?

    @Option(name: .customLong("prometheus-ca-file"), help: "PEM file of the CA(s) that sign the metrics backend's TLS certificate (https URLs), instead of the system's.")
    var prometheusCAFile: String?

    @Option(name: .customLong("alertmanager-url"), help: "Base URL of the Alertmanager the metrics backend sends alerts to (http or https); the observability self-check follows the Watchdog alert there.")
    var alertmanagerURL: String?

    @Option(name: .customLong("sd-token-file"), help: "File with the bearer token Prometheus presents to /sd/prometheus (endpoint off without it).")
    var sdTokenFile: String?

    @Option(name: .customLong("health-limits"), help: "YAML file overriding health thresholds (docs/HEALTH.md); keys left out keep their default.")
    var healthLimits: String?

    @Option(name: .customLong("events-interval"), help: "Seconds between event-recorder polls of Prometheus (XID, ECC, thermal, … events).")
    var eventsInterval = 15

    @Option(name: .customLong("events-retention-days"), help: "Days an event is kept after it was last seen.")
    var eventsRetentionDays = 30

    @Option(name: .customLong("allow-targets"), parsing: .upToNextOption,
            help: "Networks (CIDR) a node's endpoint may resolve to although they are loopback, link-local or private (e.g. 10.20.0.0/16). Model discovery and load tests refuse such addresses otherwise.")
    var allowTargets: [String] = []

    @Option(name: .customLong("trusted-proxies"), parsing: .upToNextOption,
            help: "Reverse proxies (CIDR) whose X-Forwarded-For names the client address used for failed-login limits and the audit log; from any other peer the header is ignored.")
    var trustedProxies: [String] = []

    @Option(name: .customLong("gateway"), help: "Also run the inference gateway (docs/GATEWAY.md) on this address (host:port), over the same database.")
    var gateway: String?

    @Option(name: .customLong("gateway-plans"), help: "JSON plans file for --gateway (see aifactory gateway --help).")
    var gatewayPlans: String?

    @Option(name: .customLong("prices"), help: "JSON price file for the cost figures: {\"currency\", \"gpuHour\": {class: price}, \"kWh\", \"planPer1MTokens\": {plan: price}, \"idleUtilisationPct\"}; keys left out keep the documented example defaults (docs/ECONOMICS.md).")
    var prices: String?

    @Flag(name: .customLong("secure-cookies"),
          help: "Browsers reach the server over https (e.g. a TLS-terminating proxy): the session cookie becomes Secure and __Host- prefixed, and only https origins may write with it.")
    var secureCookies = false

    func validate() throws {
        guard (1...3600).contains(eventsInterval) else { throw ValidationError("--events-interval must be between 1 and 3600 seconds") }
        guard (1...3650).contains(eventsRetentionDays) else { throw ValidationError("--events-retention-days must be between 1 and 3650") }
        _ = try ListenAddress(listen)
        if let gateway {
            do { _ = try ListenAddress(gateway) } catch { throw ValidationError("--gateway must be host:port, got '\(gateway)'") }
        }
        if let alertmanagerURL { _ = try Self.httpURL(alertmanagerURL, flag: "--alertmanager-url") }
        if let prometheusURL { _ = try Self.httpURL(prometheusURL, flag: "--prometheus-url") }
        let backendFlags = !prometheusHeaders.isEmpty || !prometheusParams.isEmpty || prometheusBearerTokenFile != nil
            || prometheusBasicAuthUser != nil || prometheusBasicAuthPasswordFile != nil || prometheusCAFile != nil
        if backendFlags, prometheusURL == nil { throw ValidationError("the --prometheus-* backend options need --prometheus-url") }
        if let prices {
            do { _ = try PriceSheet.load(path: prices) } catch { throw ValidationError("--prices: \(error)") }
        }
        _ = try Self.networks(allowTargets, flag: "--allow-targets")
        _ = try Self.networks(trustedProxies, flag: "--trusted-proxies")
    }

    /// Parses CIDR flags, naming the flag and the value that is not one.
    static func networks(_ values: [String], flag: String) throws -> [CIDR] {
        try values.flatMap { $0.split(separator: ",").map(String.init) }.map { text in
            guard let network = CIDR(text.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("\(flag): '\(text)' is not an address or network such as 10.0.0.0/8 or ::1/128")
            }
            return network
        }
    }

    /// An absolute http(s) URL with a host, without a trailing slash (paths are appended to it).
    static func httpURL(_ text: String, flag: String) throws -> String {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil
        else {
            throw ValidationError("\(flag): '\(text)' is not an http(s) URL such as http://127.0.0.1:9093")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
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
        let backend: PrometheusBackend
        do {
            backend = try PrometheusBackend.load(
                headers: prometheusHeaders, parameters: prometheusParams, bearerTokenFile: prometheusBearerTokenFile,
                basicAuthUser: prometheusBasicAuthUser, basicAuthPasswordFile: prometheusBasicAuthPasswordFile, caFile: prometheusCAFile)
        } catch {
            CLIErrors.printError(error.description)
            throw ExitCode(2)
        }
        let store = CachingStore(try await database.open(logger: logger))
        let model = HealthModel(limits: limits)
        let outbound = OutboundPolicy(allowed: try Self.networks(allowTargets, flag: "--allow-targets"))
        let loadTests = LoadTestManager(store: store, logger: logger, outbound: outbound)
        var dependencies = ServerDependencies(
            store: store,
            serviceDiscoveryToken: token,
            prometheus: prometheusURL.map { backend.client(baseURL: $0) },
            healthModel: model
        )
        dependencies.loadTests = loadTests
        if let prices { dependencies.prices = try PriceSheet.load(path: prices) }
        dependencies.alertmanagerURL = try alertmanagerURL.map { try Self.httpURL($0, flag: "--alertmanager-url") }
        let eventsHeartbeat = LoopHeartbeat(interval: .seconds(eventsInterval))
        if prometheusURL != nil { dependencies.eventRecorderHeartbeat = eventsHeartbeat }
        let server = ServerConfiguration(
            host: address.host, port: address.port, prometheusURL: prometheusURL,
            trustedProxies: TrustedProxies(try Self.networks(trustedProxies, flag: "--trusted-proxies")), secureCookies: secureCookies)
        let app = buildApplication(server, dependencies: dependencies)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: app), .init(service: loadTests), .init(service: DiagnosticsSweepService(dependencies: dependencies)),
        ]
        // Replicas on PostgreSQL: another replica's revocation or registration reaches this one's
        // caches when it commits (docs/DEPLOY.md "Replicas"); idle on SQLite.
        services.append(.init(service: StoreChangeListener(store: store, logger: Logger(label: "aifactory.store"))))
        if let gateway {
            let gatewayAddress = try ListenAddress(gateway)
            let plans: GatewayPlans
            do {
                plans = try gatewayPlans.map(GatewayPlans.load) ?? .defaults
            } catch {
                CLIErrors.printError("--gateway-plans: \(error)")
                throw ExitCode(2)
            }
            let pool = UpstreamPool()
            let proxy = Gateway(store: store, plans: plans, pool: pool, logger: Logger(label: "aifactory.gateway"))
            if let prometheusURL {
                services.append(.init(service: GatewayLoadSource.polling(pool: pool, prometheusURL: prometheusURL, backend: backend, logger: Logger(label: "aifactory.gateway"))))
            }
            services.append(.init(service: Application(
                router: proxy.router(),
                configuration: .init(address: .hostname(gatewayAddress.host, port: gatewayAddress.port), serverName: "aifactory-gateway"),
                logger: Logger(label: "aifactory.gateway"))))
        }
        if let prometheusURL {
            // XID/ECC/thermal transitions become stored events only while something polls for them.
            var recorder = EventRecorder(
                store: store, backend: backend.client(baseURL: prometheusURL), model: model,
                retention: .seconds(eventsRetentionDays * 24 * 3600)
            )
            recorder.heartbeat = eventsHeartbeat
            services.append(.init(service: EventRecorderService(
                recorder: recorder, interval: .seconds(eventsInterval), cluster: store.cluster, logger: Logger(label: "aifactory.events"))))
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
