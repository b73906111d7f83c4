import Foundation
import Logging
import Server
import ServiceLifecycle
import Simulator

/// The whole local product in one process tree: simulator → real Prometheus → AI Factory server.
///
/// Everything runs in one `ServiceGroup`, so SIGINT/SIGTERM shut the services down in reverse
/// start order (server, Prometheus, simulator) and a child that dies takes the group down with a
/// message instead of leaving a half-working stack.
public struct DemoStack: Sendable {
    public let configuration: DemoConfiguration
    let logger: Logger

    public init(_ configuration: DemoConfiguration, logger: Logger = Logger(label: "aifactory.demo")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until a shutdown signal; `onReady` receives the credentials once every part answers.
    public func run(onReady: @escaping @Sendable (DemoCredentials) async -> Void = { _ in }) async throws {
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

        let simulator = buildSimulatorApplication(
            SimulatorConfiguration(host: config.host, port: config.simulatorPort, fleet: config.fleet, seed: config.seed),
            onServerRunning: { port in await simulatorPort.fulfil(port) }
        )
        let runtime = PrometheusRuntime(binary: binary, host: config.host, port: prometheusPort, stateDirectory: state)
        let fleet = config.fleet.spec
        let host = config.host
        let scrapeInterval = config.scrapeInterval
        let prometheus = PrometheusService(runtime: runtime, ready: prometheusReady, logger: logger) {
            let port = try await simulatorPort.wait()
            let targets = ScrapeTarget.targets(for: fleet, simulatorAddress: "\(host):\(port)")
            return PrometheusConfig(scrapeInterval: scrapeInterval, evaluationInterval: scrapeInterval, targets: targets)
        }
        let server = buildApplication(
            ServerConfiguration(host: config.host, port: config.port, prometheusURL: runtime.url),
            onServerRunning: { port in await serverPort.fulfil(port) }
        )
        let credentialsPath = state + "/demo-credentials.json"
        let announcer = ReadyAnnouncer {
            let prometheusURL = try await prometheusReady.wait()
            let port = try await serverPort.wait()
            let simPort = try await simulatorPort.wait()
            let previous = DemoCredentials.load(path: credentialsPath)
            let tenants = DemoTenants.roles(for: fleet).map { entry in
                let key = previous?.tenants.first { $0.tenant == entry.tenant }?.apiKey ?? DemoCredentials.newKey()
                return DemoCredentials.Tenant(tenant: entry.tenant, role: entry.role, apiKey: key)
            }
            let credentials = DemoCredentials(
                url: "http://\(host):\(port)",
                prometheusURL: prometheusURL,
                simulatorURL: "http://\(host):\(simPort)",
                tenants: tenants
            )
            try credentials.write(path: credentialsPath)
            await onReady(credentials)
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: simulator),
                    .init(service: prometheus),
                    .init(service: server),
                    .init(service: announcer),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: logger
            )
        )
        try await group.run()
    }

    /// Creates the state directory if needed and returns its absolute path.
    static func prepareStateDirectory(_ path: String) throws -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        do {
            try FileManager.default.createDirectory(atPath: absolute, withIntermediateDirectories: true)
        } catch {
            throw StackError.stateDirectory(path: absolute, reason: "cannot create it")
        }
        guard FileManager.default.isWritableFile(atPath: absolute) else {
            throw StackError.stateDirectory(path: absolute, reason: "not writable")
        }
        return absolute
    }
}

/// Runs a one-shot task once the stack is up, then idles until shutdown.
struct ReadyAnnouncer: Service {
    let announce: @Sendable () async throws -> Void

    func run() async throws {
        try await announce()
        try await gracefulShutdown()
    }
}
