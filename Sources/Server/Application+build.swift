import Foundation
public import Hummingbird
public import Logging
import NIOCore

/// Builds the AI Factory HTTP application from its configuration and collaborators.
///
/// This is the single production wiring point: `aifactory serve`, `aifactory demo` and the route
/// tests all call it, so what is tested is what runs.
/// - Parameters:
///   - configuration: bind address and backends.
///   - dependencies: store, sessions, limiter, Prometheus client, clock.
///   - onServerRunning: called with the bound port once the socket listens (useful with port 0).
public func buildApplication(
    _ configuration: ServerConfiguration,
    dependencies: ServerDependencies,
    logger: Logger = Logger(label: "aifactory.server"),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = buildRouter(configuration, dependencies: dependencies)
    return Application(
        router: router,
        server: .eventLoopBoundHTTP1(),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "aifactory"),
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}

/// The router with every route the server answers; separate so tests can drive it without a socket.
public func buildRouter(_ configuration: ServerConfiguration, dependencies: ServerDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    // Outermost, so error responses are marked too.
    router.add(middleware: NoStoreMiddleware())
    router.add(middleware: ErrorMappingMiddleware())
    let started = ContinuousClock.now
    router.get("/healthz") { _, _ -> HealthResponse in
        let uptime = ContinuousClock.now - started
        return HealthResponse(status: "ok", version: configuration.version, uptimeSeconds: Int(uptime.components.seconds))
    }
    ServiceDiscoveryRoutes(dependencies: dependencies).register(on: router)
    OpenAPIDocument.register(on: router)
    WebRoutes().register(on: router)
    // Outside the user API group: agents authenticate with node credentials, never cookies.
    AgentRoutes(dependencies: dependencies, proxies: configuration.trustedProxies).register(on: router)
    // The tenant-scoped Prometheus API: keys only (bearer or basic), Prometheus's error envelope.
    PrometheusAPIRoutes(dependencies: dependencies, proxies: configuration.trustedProxies).register(on: router)

    let cookie = configuration.sessionCookie
    let api = router.group("api/v1")
        .add(middleware: CookieWriteGuard(cookie: cookie))
        .add(middleware: AuthMiddleware(store: dependencies.store, sessions: dependencies.sessions, limiter: dependencies.limiter, now: dependencies.now,
                                        cookie: cookie, proxies: configuration.trustedProxies))
        .add(middleware: ExpensiveReadMiddleware(limiter: dependencies.expensiveReads, now: dependencies.now))
    SessionRoutes(dependencies: dependencies, cookie: cookie, proxies: configuration.trustedProxies).register(on: api)
    MeRoutes(dependencies: dependencies).register(on: api)
    InventoryRoutes(dependencies: dependencies).register(on: api)
    let admin = api.group("admin")
    AdminRoutes(dependencies: dependencies).register(on: admin)
    AdminRemovalRoutes(dependencies: dependencies).register(on: admin)
    DrainRoutes(dependencies: dependencies).registerAdmin(on: admin, admin: AdminRoutes(dependencies: dependencies))
    EnrolmentRoutes(dependencies: dependencies, secureCookies: configuration.secureCookies).register(on: admin)
    let factory = api.group("factory")
    FactoryRoutes(dependencies: dependencies).register(on: factory)
    AlertRoutes(dependencies: dependencies).register(on: factory)
    EventRoutes(dependencies: dependencies).register(on: factory)
    LoadTestRoutes(dependencies: dependencies).register(on: factory)
    DiagnosticsRoutes(dependencies: dependencies).register(on: factory)
    ValidateRoutes(dependencies: dependencies).register(on: factory)
    return router
}
