public import Hummingbird
import Logging
import ServiceLifecycle

/// Serves `router` on 127.0.0.1:0 while `run` executes with the base URL, then stops it.
///
/// The server is stopped gracefully, never by cancellation: cancelling a Hummingbird server
/// while a connection is being accepted trips NIO's "NIOAsyncWriter deinited" precondition.
public func withLoopbackServer<T: Sendable>(_ router: Router<BasicRequestContext>, _ run: @Sendable (String) async throws -> T) async throws -> T {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    var logger = Logger(label: "fake-upstream")
    logger.logLevel = .critical
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        },
        logger: logger)
    let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            // Ends the port stream however the server ends, so a failed bind is not a hang.
            defer { continuation.finish() }
            try await services.run()
            return nil
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await services.triggerGracefulShutdown()
            throw CancellationError()
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await run("http://127.0.0.1:\(port)"))
        } catch {
            result = .failure(error)
        }
        await services.triggerGracefulShutdown()
        try await group.waitForAll()
        return try result.get()
    }
}
