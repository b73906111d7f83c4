import Foundation
import Hummingbird
import Logging
import NIOCore

/// Builds the AI Factory HTTP application from its configuration.
///
/// This is the single production wiring point: `aifactory serve`, `aifactory demo` and the route
/// tests all call it, so what is tested is what runs.
/// - Parameters:
///   - configuration: bind address and backends.
///   - onServerRunning: called with the bound port once the socket listens (useful with port 0).
public func buildApplication(
    _ configuration: ServerConfiguration,
    logger: Logger = Logger(label: "aifactory.server"),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = buildRouter(configuration)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "aifactory"),
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}

/// The router with every route the server answers; separate so tests can drive it without a socket.
public func buildRouter(_ configuration: ServerConfiguration) -> Router<BasicRequestContext> {
    let router = Router()
    let started = ContinuousClock.now
    router.get("/healthz") { _, _ -> HealthResponse in
        let uptime = ContinuousClock.now - started
        return HealthResponse(status: "ok", version: configuration.version, uptimeSeconds: Int(uptime.components.seconds))
    }
    return router
}
