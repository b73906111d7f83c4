import Agent
import Diagnostics
import Fleet
import Foundation
import Logging
import ServiceLifecycle
import Store

/// `aifactory demo --agent-nvml PATH`: one `aifactory agent` on the given (stand-in) NVML
/// library beside the simulator, enrolled the way a real host is: a one-time token minted for
/// the demo's first owner tenant, `POST /api/v1/agent/enroll` over HTTP, the credential in
/// `<state>/agent/credential.json`, heartbeats, `/sd/prometheus`.
///
/// The agent runs in this process (its collector, `/metrics` server and heartbeat as one inner
/// `ServiceGroup`), stopped gracefully with the demo. On a restart of the demo the stored
/// credential is reused (no second enrolment) and the node is re-pointed at the agent's new port.
struct DemoAgentService: Service {
    let library: String
    let stateDirectory: String
    let host: String
    let tenant: String
    /// The tools diagnostics run (the demo passes the fake ones with `--agent-tools`).
    let tools: DiagnosticTools
    /// The drain hook for "drain first" runs (`drain-hook` in `--agent-tools`'s directory).
    var drainHook: String?
    let store: any Store
    /// The demo server's URL, once it listens.
    let serverURL: @Sendable () async throws -> String
    let logger: Logger

    static let nodeName = "demo-agent-1"

    func run() async throws {
        let url = try await serverURL()
        let credentialPath = (stateDirectory as NSString).appendingPathComponent(AgentCredential.fileName)
        let enrolled = FileManager.default.fileExists(atPath: credentialPath)
        var token: String?
        if !enrolled {
            token = try await store.createEnrolmentToken(
                tenant: tenant, pool: nil, createdBy: "demo", expiresAt: Date().addingTimeInterval(3600),
                audit: AuditNote(actor: "demo", action: "node.enroll-token")).plaintext
        }
        var agentLogger = logger
        agentLogger.logLevel = .error
        let configuration = AgentConfiguration(
            host: host, port: 0, nvmlLibraryPath: library, serverURL: url,
            enrolment: EnrolmentSettings(token: token, stateDirectory: stateDirectory, nodeName: Self.nodeName),
            diagnosticTools: tools,
            drainHook: drainHook,
            logger: agentLogger)
        let collector = try NVMLCollector.open(configuration)
        let diagnostics = DiagnosticsWorker(configuration: configuration, migGPUs: {
            collector.store.snapshot.gpus.filter(\.identity.migEnabled).map(\.identity.index)
        })
        let heartbeat = HeartbeatService(configuration: configuration, collector: collector) { credential, _ in
            diagnostics.enrolled(credential)
        }
        let store = self.store
        let host = self.host
        let logger = self.logger
        let app = buildAgentApplication(collector: collector, configuration: configuration) { port in
            heartbeat.serverRunning(port: port)
            guard enrolled, let stored = try? AgentCredential.load(from: configuration.enrolment.stateDirectory) else { return }
            // A restarted demo listens on another port: re-point the enrolled node at it.
            do {
                try await store.updateNodeEndpoints(node: stored.node, dcgmAddress: "\(host):\(port)", dcgmPath: "/metrics", vllmAddress: nil, vllmPath: nil)
            } catch {
                logger.error("demo agent: cannot re-point node \(stored.node): \(error)")
            }
        }
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: collector), .init(service: app),
                       .init(service: heartbeat, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup),
                       .init(service: diagnostics, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup)],
            logger: agentLogger))
        try await withGracefulShutdownHandler {
            try await group.run()
        } onGracefulShutdown: {
            Task { await group.triggerGracefulShutdown() }
        }
    }
}
