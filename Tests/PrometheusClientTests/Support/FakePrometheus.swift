import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// An in-process stand-in for the Prometheus HTTP API on `127.0.0.1:0`.
///
/// Each endpoint (path below the base path) answers with a `CannedResponse`; every request is
/// recorded so tests assert what actually went over the wire (path prefix, headers, form body).
/// The server runs in a child task for the duration of `run`'s body and is cancelled afterwards.
struct FakePrometheus {
    var basePath: String = ""
    var responses: [String: CannedResponse]

    /// Starts the fake, passes its base URL (without `basePath`) and request log to `body`, then
    /// opens the slow endpoints' gate and shuts the server down.
    func run<T: Sendable>(_ body: @Sendable (_ url: String, _ log: RequestLog) async throws -> T) async throws -> T {
        let log = RequestLog()
        let gate = Gate()
        let router = Router()
        for (path, canned) in responses {
            for method in [HTTPRequest.Method.get, .post] {
                router.on(RouterPath(basePath + path), method: method) { request, _ -> Response in
                    var request = request
                    let bodyBuffer = try await request.collectBody(upTo: 1 << 24)
                    var headers: [String: String] = [:]
                    for field in request.headers { headers[field.name.canonicalName] = field.value }
                    await log.append(RecordedRequest(
                        method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
                        headers: headers, body: String(buffer: bodyBuffer)
                    ))
                    return await Self.respond(canned, gate: gate)
                }
            }
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: { var logger = Logger(label: "fake-prometheus"); logger.logLevel = .critical; return logger }()
        )
        // Stopped gracefully, never by cancellation: cancelling a Hummingbird server while a
        // connection is being accepted trips NIO's "NIOAsyncWriter deinited" precondition.
        let services = ServiceGroup(configuration: .init(services: [app], logger: app.logger))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                // Ends the port stream however the server ends, so a failed bind is not a hang.
                defer { portContinuation.finish() }
                try await services.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                await services.triggerGracefulShutdown()
                throw FakeError.noPort
            }
            let result: Result<T, any Error>
            do {
                result = .success(try await body("http://127.0.0.1:\(port)", log))
            } catch {
                result = .failure(error)
            }
            await gate.open()
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }

    enum FakeError: Error { case noPort }

    private static func respond(_ canned: CannedResponse, gate: Gate) async -> Response {
        switch canned {
        case .json(let text, let status):
            return Response(
                status: .init(code: status), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
        case .raw(let text, let status, let contentType):
            return Response(
                status: .init(code: status), headers: [.contentType: contentType],
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
        case .hangHead:
            await gate.wait()
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "{}")))
        case .hangBody(let first):
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: first))
                await gate.wait()
                try await writer.finish(nil)
            })
        case .huge(let bytes):
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
                let chunk = ByteBuffer(repeating: UInt8(ascii: " "), count: 1 << 16)
                var sent = 0
                while sent < bytes {
                    try await writer.write(chunk)
                    sent += chunk.readableBytes
                }
                try await writer.finish(nil)
            })
        }
    }
}
