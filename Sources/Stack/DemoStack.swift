import Diagnostics
import Export
import Fleet
import Foundation
import Gateway
import Hummingbird
import LoadTest
import LoadTestService
public import Logging
import Server
import ServiceLifecycle
import PrometheusClient
import Simulator
import Store
import Telemetry
import UnixSignals

/// The whole local product in one process tree: simulator → real Prometheus (→ real
/// Alertmanager, when installed) → AI Factory server.
///
/// Everything runs in one `ServiceGroup`, so SIGINT/SIGTERM shut the services down in reverse
/// start order (server, Prometheus, Alertmanager, simulator) and a child that dies takes the
/// group down with a message instead of leaving a half-working stack — except the Alertmanager,
/// whose loss the demo survives on purpose (`AlertmanagerService`).
public struct DemoStack: Sendable {
    public let configuration: DemoConfiguration
    let logger: Logger

    public init(_ configuration: DemoConfiguration, logger: Logger = Logger(label: "aifactory.demo")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until a shutdown signal (or `stop` is fulfilled); `onReady` receives the credentials
    /// once every part answers.
    ///
    /// `stop` lets an embedding program or a test end the demo gracefully — in reverse start
    /// order, so Prometheus stops scraping before the simulator closes — instead of cancelling
    /// it, which would tear servers down while connections are still arriving.
    public func run(stop: Rendezvous<Void>? = nil, onReady: @escaping @Sendable (DemoCredentials) async -> Void = { _ in }) async throws {
        let config = configuration
        let state = try Self.prepareStateDirectory(config.stateDirectory)
        guard let binary = PrometheusRuntime.locateBinary() else {
            throw StackError.missingBinary(name: "prometheus", hint: "run scripts/setup.sh or `apt-get install prometheus`")
        }
        guard PortProbe.isAvailable(host: config.host, port: config.port) else {
            throw StackError.addressInUse(host: config.host, port: config.port)
        }
        if config.simulatorPort != 0, !PortProbe.isAvailable(host: config.host, port: config.simulatorPort) {
            throw StackError.addressInUse(host: config.host, port: config.simulatorPort)
        }
        let prometheusPort: Int
        if let requested = config.prometheusPort {
            guard PortProbe.isAvailable(host: config.host, port: requested) else {
                throw StackError.addressInUse(host: config.host, port: requested)
            }
            prometheusPort = requested
        } else {
            guard let free = PortProbe.freePort(host: config.host) else {
                throw StackError.other("no free port on \(config.host) for Prometheus")
            }
            prometheusPort = free
        }

        let simulatorPort = Rendezvous<Int>()
        let serverPort = Rendezvous<Int>()
        let prometheusReady = Rendezvous<String>()
        let alertmanagerReady = Rendezvous<String>()
        let victoriaReady = Rendezvous<String>()
        let seeded = Rendezvous<[DemoCredentials.Tenant]>()
        let gatewayPort = Rendezvous<Int>()

        // Identity and inventory reads on every request come from memory (invalidated by writes).
        let store = CachingStore(try await StoreFactory.sqlite(path: state + "/aifactory.sqlite", logger: logger))
        let tokenFile = state + "/sd-token"
        let paths = DemoStatePaths(state)
        // The companion alert rules, with one series-absent rule per demo node, in a directory
        // Prometheus loads by glob: a test adds a rule file there and reloads (PrometheusReload).
        let rules = AlertRuleSet.standard(
            AlertRuleOptions(durationScale: config.alertDurationScale),
            targets: AlertTarget.targets(of: config.fleet.spec)
        )
        try FileManager.default.createDirectory(atPath: paths.rulesDirectory, withIntermediateDirectories: true)
        try rules.renderRuleFile().write(toFile: paths.standardRules, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: state + "/aifactory-rules.yml")  // where earlier versions wrote them
        let alertmanager = try Self.alertmanagerRuntime(config, stateDirectory: state, logger: logger)
        let sdToken = try Self.serviceDiscoveryToken(at: tokenFile)
        // 30 days, what the page's reliability panel reads (the self-check warns below it).
        let runtime = PrometheusRuntime(binary: binary, host: config.host, port: prometheusPort, stateDirectory: state, retention: "30d")
        // `--victoria-metrics`: the long-term layout; every telemetry read goes to the store.
        let victoria = try Self.victoriaMetricsRuntime(config, stateDirectory: state)
        let readURL = victoria?.url ?? runtime.url

        // `--history`: the live simulation starts where the written past ends; `epoch` is the
        // wall-clock time of simulation time 0, which stamps that past.
        let simulationStart = config.simulationOffset + config.history
        let epoch = Date().timeIntervalSince1970 - Self.seconds(simulationStart)
        let simulatorConfiguration = SimulatorConfiguration(
            host: config.host, port: config.simulatorPort, fleet: config.fleet, seed: config.seed,
            clock: Self.clock(offset: simulationStart)
        )
        let simulator = buildSimulatorApplication(
            simulatorConfiguration,
            onServerRunning: { port in await simulatorPort.fulfil(port) }
        )
        let fleet = config.fleet.spec
        let host = config.host
        let scrapeInterval = config.scrapeInterval
        let credentialsPath = state + "/demo-credentials.json"
        let seeder = OneShotService {
            let port = try await simulatorPort.wait()
            let logins = try await DemoSeeder(store: store, fleet: fleet)
                .seed(simulatorAddress: "\(host):\(port)", previous: DemoCredentials.load(path: credentialsPath))
            await seeded.fulfil(logins)
        }
        let prometheus = PrometheusService(runtime: runtime, restart: config.prometheusRestart, ready: prometheusReady, logger: logger) {
            _ = try await seeded.wait()
            try await Self.backfillHistory(config, nodes: try await store.nodes(), epoch: epoch, runtime: runtime, stateDirectory: state, logger: logger)
            let port = try await serverPort.wait()
            let jobs = ["dcgm", "vllm"].map { exporter in
                HTTPSDJob(
                    name: exporter,
                    url: "http://\(host):\(port)/sd/prometheus?exporter=\(exporter)",
                    tokenFile: tokenFile,
                    refreshInterval: scrapeInterval
                )
            }
            // The usage contract as the gateway emits it (its own tenant, pool, model and key labels).
            let metering = TrustedScrapeJob(name: "metering", address: "\(host):\(try await gatewayPort.wait())", metricsPath: "/metrics")
            // Prometheus sends a firing alert once, then only every resend delay (1 min): with
            // the Alertmanager ready first, the Watchdog reaches it on the first evaluation.
            if alertmanager != nil { _ = try await alertmanagerReady.wait() }
            var prometheusConfig = PrometheusConfig(
                scrapeInterval: scrapeInterval, evaluationInterval: scrapeInterval,
                serviceDiscovery: jobs, trusted: [metering], ruleFiles: [paths.rulesGlob],
                alertmanagers: alertmanager.map { [$0.address] } ?? []
            )
            prometheusConfig.remoteWrite = victoria.map { [$0.writeURL] } ?? []
            return prometheusConfig
        }
        let alertmanagerService = alertmanager.map { runtime in
            AlertmanagerService(runtime: runtime, ready: alertmanagerReady, logger: logger) {
                let simPort = try await simulatorPort.wait()
                return Self.alertmanagerConfig(fleet: fleet, webhookBase: "http://\(host):\(simPort)")
            }
        }
        // The demo's nodes are its own loopback simulator: exactly that address is allowed.
        let loadTests = LoadTestManager(store: store, logger: logger, outbound: OutboundPolicy(allowed: [CIDR(config.host)].compactMap { $0 }))
        var dependencies = ServerDependencies(
            store: store,
            serviceDiscoveryToken: sdToken,
            serviceDiscoveryRefresh: scrapeInterval,
            prometheus: PrometheusClient(baseURL: readURL, timeout: .seconds(5)),
            healthRefresh: scrapeInterval,
            healthModel: HealthModel(limits: config.healthLimits)
        )
        dependencies.loadTests = loadTests
        dependencies.alertmanagerURL = alertmanager?.url
        dependencies.eventRecorderHeartbeat = LoopHeartbeat(interval: config.eventsInterval ?? max(scrapeInterval, .seconds(5)))
        let server = buildApplication(
            ServerConfiguration(host: config.host, port: config.port, prometheusURL: readURL),
            dependencies: dependencies,
            onServerRunning: { port in await serverPort.fulfil(port) }
        )
        // The inference gateway over the same store (its usage ledger is what the consumer's quota
        // bar reads), and the demo consumer's traffic through it.
        let upstreams = UpstreamPool()
        let gatewayLoad = GatewayLoadSource.polling(pool: upstreams, prometheusURL: readURL, interval: max(scrapeInterval, .seconds(1)), logger: logger)
        let gateway = Application(
            router: Gateway(store: store, pool: upstreams, logger: logger).router(),
            configuration: .init(address: .hostname(config.host, port: 0), serverName: "aifactory-gateway"),
            onServerRunning: { channel in await gatewayPort.fulfil(channel.localAddress?.port ?? 0) },
            logger: logger)
        let consumerTraffic = DemoConsumerTraffic(
            target: {
                let logins = try await seeded.wait()
                let port = try await gatewayPort.wait()
                return ("http://\(host):\(port)", logins.first { $0.tenant == DemoTenants.consumer }?.apiKey)
            },
            interval: config.consumerTrafficInterval, seed: config.seed, logger: logger)
        // Events (XID, ECC, thermal, …) are detected by polling, de-duplicated and kept in the store.
        let eventsInterval = config.eventsInterval ?? max(scrapeInterval, .seconds(5))
        var recorder = EventRecorder(
            store: store, backend: PrometheusClient(baseURL: readURL, timeout: .seconds(5)),
            model: HealthModel(limits: config.healthLimits)
        )
        recorder.heartbeat = dependencies.eventRecorderHeartbeat
        let events = EventRecorderService(recorder: recorder, interval: eventsInterval)
        let announcer = OneShotService {
            let prometheusURL = try await prometheusReady.wait()
            let port = try await serverPort.wait()
            let simPort = try await simulatorPort.wait()
            let logins = try await seeded.wait()
            let alertmanagerURL = alertmanager == nil ? nil : try await alertmanagerReady.wait()
            var credentials = DemoCredentials(
                url: "http://\(host):\(port)",
                prometheusURL: prometheusURL,
                simulatorURL: "http://\(host):\(simPort)",
                alertmanagerURL: alertmanagerURL,
                tenants: logins
            )
            credentials.gatewayURL = "http://\(host):\(try await gatewayPort.wait())"
            if victoria != nil { credentials.metricsURL = try await victoriaReady.wait() }

            try credentials.write(path: credentialsPath)
            await onReady(credentials)
        }
        // `--agent-nvml`: one agent on that library, enrolled like a real host (DemoAgentService).
        let agentServices: [ServiceGroupConfiguration.ServiceConfiguration] = config.agentNVMLLibrary.map { library in
            let tenant = DemoTenants.roles(for: fleet).first { $0.role == "owner" }?.tenant ?? fleet.tenants.first ?? "acme"
            return [.init(service: DemoAgentService(
                library: library, stateDirectory: state + "/agent", host: host, tenant: tenant,
                tools: config.agentToolsDirectory.map {
                    DiagnosticTools(dcgmi: $0 + "/dcgmi", allReducePerf: $0 + "/all_reduce_perf")
                } ?? DiagnosticTools(),
                drainHook: config.agentToolsDirectory.map { $0 + "/drain-hook" },
                store: store,
                serverURL: {
                    _ = try await seeded.wait()
                    return "http://\(host):\(try await serverPort.wait())"
                },
                logger: logger))]
        } ?? []
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: simulator),
            .init(service: seeder),
            .init(service: server),
            .init(service: gateway),
            .init(service: loadTests),
            .init(service: DiagnosticsSweepService(dependencies: dependencies)),
        ]
        // Before Prometheus, so it stops after it (reverse order): no alert is sent to a closed port.
        if let alertmanagerService { services.append(.init(service: alertmanagerService)) }
        // Before Prometheus too, so it takes the last samples Prometheus writes as it stops.
        if let victoria {
            services.append(.init(service: VictoriaMetricsService(runtime: victoria, prometheusURL: runtime.url, ready: victoriaReady, logger: logger)))
        }
        services += [
            .init(service: prometheus),
            .init(service: events),
            .init(service: announcer),
            .init(service: consumerTraffic),
            .init(service: gatewayLoad),
        ] + agentServices
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: logger
            )
        )
        do {
            try await withThrowingTaskGroup(of: Bool.self) { tasks in
                tasks.addTask {
                    try await group.run()
                    return true
                }
                if let stop {
                    tasks.addTask {
                        try await stop.wait()
                        await group.triggerGracefulShutdown()
                        return false
                    }
                }
                while let groupFinished = try await tasks.next() {
                    if groupFinished {
                        tasks.cancelAll()
                        return
                    }
                }
            }
        } catch {
            await Self.close(store)
            throw error
        }
        await Self.close(store)
    }

    /// Closes the store even when the surrounding task is cancelled (the usual way a test or a
    /// parent stops the demo): the close runs in its own task, which this function awaits.
    static func close(_ store: any Store) async {
        await Task { try? await store.close() }.value
    }

    /// Wall-clock simulation time, shifted `offset` into the scenario timeline.
    static func clock(offset: Duration) -> SimulationClock {
        let wall = SimulationClock.wall()
        let shift = seconds(offset)
        return SimulationClock { shift + wall.elapsed() }
    }

    /// The SD bearer token, created once with owner-only permissions and reused after.
    static func serviceDiscoveryToken(at path: String) throws -> String {
        if let existing = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), existing.count >= 32 {
            return existing
        }
        let token = Secrets.randomHex(bytes: 32)
        try token.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return token
    }

    /// Creates the state directory if needed, owner-only (0700: it holds the database, the SD
    /// token and the demo's keys), and returns its absolute path.
    ///
    /// An existing directory is tightened only when it already is a demo state directory (an
    /// earlier run's database or credentials in it): `--state-dir /tmp` or `.` must not change the
    /// mode of a directory the demo does not own. The files with secrets are 0600 either way.
    static func prepareStateDirectory(_ path: String) throws -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let files = FileManager.default
        do {
            if files.fileExists(atPath: absolute) {
                let earlierRun = [StoreFactory.sqliteFileName, "demo-credentials.json"].contains { files.fileExists(atPath: absolute + "/" + $0) }
                if earlierRun { try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: absolute) }
            } else {
                try files.createDirectory(atPath: absolute, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw StackError.stateDirectory(path: absolute, reason: "cannot create it")
        }
        guard FileManager.default.isWritableFile(atPath: absolute) else {
            throw StackError.stateDirectory(path: absolute, reason: "not writable")
        }
        return absolute
    }
}

/// Runs a one-shot task, then idles until shutdown (a service that returns early would end the group).
struct OneShotService: Service {
    let announce: @Sendable () async throws -> Void

    func run() async throws {
        try await announce()
        try await gracefulShutdown()
    }
}
