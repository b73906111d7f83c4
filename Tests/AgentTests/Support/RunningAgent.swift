import Agent
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import NIOHTTP1

/// Runs the agent (collector + HTTP server on 127.0.0.1:0) while `body` executes, then stops it.
///
/// The group is stopped gracefully, never by cancellation: cancelling a Hummingbird server
/// while a connection is being accepted trips NIO's "NIOAsyncWriter deinited" precondition.
func withAgent<T: Sendable>(
    _ configuration: AgentConfiguration,
    _ body: @Sendable (_ baseURL: String, _ collector: NVMLCollector) async throws -> T
) async throws -> T {
    var configuration = configuration
    configuration.host = "127.0.0.1"
    configuration.port = 0
    var logger = Logger(label: "agent-test")
    logger.logLevel = .critical
    configuration.logger = logger
    let collector = try NVMLCollector.open(configuration)
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = buildAgentApplication(collector: collector, configuration: configuration) { port in
        continuation.yield(port)
        continuation.finish()
    }
    let group = ServiceGroup(configuration: .init(services: [.init(service: collector), .init(service: app)], logger: logger))
    return try await withThrowingTaskGroup(of: T?.self) { tasks in
        tasks.addTask {
            // Ends the port stream however the agent ends, so a failed start is not a hang.
            defer { continuation.finish() }
            try await group.run()
            return nil
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await group.triggerGracefulShutdown()
            throw StandInError("the agent did not start listening")
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await body("http://127.0.0.1:\(port)", collector))
        } catch {
            result = .failure(error)
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return try result.get()
    }
}

/// GET `url`; the status and body text.
func fetch(_ url: String) async throws -> (status: Int, body: String) {
    let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
    let body = try await response.body.collect(upTo: 4 << 20)
    return (Int(response.status.code), String(buffer: body))
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes; whether it held.
func eventually(timeout: Duration = .seconds(10), _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
