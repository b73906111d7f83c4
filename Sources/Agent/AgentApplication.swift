public import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// The agent's HTTP face: `GET /metrics` (the last sample, dcgm-exporter format) and
/// `GET /healthz`.
///
/// - Parameter onServerRunning: called with the bound port once listening (port 0 in tests).
public func buildAgentApplication(
    collector: NVMLCollector,
    configuration: AgentConfiguration,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router()
    let store = collector.store
    router.get("metrics") { _, _ in
        Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: store.metrics()))
    }
    router.get("healthz") { _, _ in
        "ok\n"
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "aifactory-agent"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: configuration.logger
    )
}

/// Runs the agent until SIGINT/SIGTERM: the collector and the HTTP server in one `ServiceGroup`
/// (the server stops first, then sampling, then NVML).
///
/// - Parameters:
///   - onNotes: the "not collected" lines, once NVML is open and before serving.
///   - onEnrolled: with `--server`, the credential once enrolled (`fresh`) or loaded from the state directory.
///   - onServerRunning: the bound port, once listening.
/// - Throws: `AgentError` when NVML cannot be used; the server's bind error otherwise.
public func runAgent(
    _ configuration: AgentConfiguration,
    onNotes: @Sendable ([String]) -> Void = { _ in },
    onEnrolled: @escaping @Sendable (AgentCredential, _ fresh: Bool) -> Void = { _, _ in },
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws {
    let collector = try NVMLCollector.open(configuration)
    onNotes(collector.startupNotes)
    // With --server: enrol (or load the stored credential) once listening, then heartbeats.
    // Diagnostics jobs are pulled with the credential the heartbeat service enrols for.
    let diagnostics = configuration.serverURL.map { _ in
        DiagnosticsWorker(configuration: configuration, migGPUs: {
            collector.store.snapshot.gpus.filter(\.identity.migEnabled).map(\.identity.index)
        })
    }
    let heartbeat = configuration.serverURL.map { _ in
        HeartbeatService(configuration: configuration, collector: collector) { credential, fresh in
            diagnostics?.enrolled(credential)
            onEnrolled(credential, fresh)
        }
    }
    let app = buildAgentApplication(collector: collector, configuration: configuration) { port in
        heartbeat?.serverRunning(port: port)
        await onServerRunning(port)
    }
    let group = ServiceGroup(configuration: .init(
        services: [.init(service: collector), .init(service: app)]
            + (heartbeat.map { [.init(service: $0, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup)] } ?? [])
            + (diagnostics.map { [.init(service: $0, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup)] } ?? []),
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: configuration.logger))
    try await group.run()
}
