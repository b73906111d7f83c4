import NIOCore
import NIOPosix
import Testing
@testable import LoadTest
import FoundationEssentials

/// A kept-alive connection the server closes just as it is reused (an idle timeout racing the
/// next request: uvicorn, in front of vLLM, closes idle connections after 5 s).
@Suite(.serialized) struct WireClientRetryTests {
    /// Answers the first request of every connection and closes the connection, unanswered, on
    /// the second.
    final class OneAnswerPerConnection: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private var requests = 0

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            // The client writes each request in one buffer; on loopback it arrives whole.
            let text = String(buffer: unwrapInboundIn(data))
            for _ in 0..<(text.components(separatedBy: "POST /").count - 1) {
                requests += 1
                guard requests == 1 else {
                    context.close(promise: nil)
                    return
                }
                let body = ScriptedServer.role + ScriptedServer.chunk(" t") + ScriptedServer.chunk(" t") + ScriptedServer.closing
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: head + body)), promise: nil)
            }
        }
    }

    @Test("a reused connection closed before any answer is retried once on a new one: no error counted")
    func retriesOnce() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(OneAnswerPerConnection()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        var configuration = LoadTestConfiguration(url: "http://127.0.0.1:\(port)", model: "m", levels: [.concurrency(1)],
                                                  inputTokens: 4, outputTokens: 10)
        configuration.requests = 3
        configuration.warmupRequests = 0
        configuration.requestTimeout = .seconds(10)
        let generator = LoadGenerator(configuration: configuration)
        let report = await generator.run(level: .concurrency(1))
        let opened = await generator.connectionsOpened()
        try await generator.shutdown()
        try await server.close()
        #expect(report.errors.isEmpty, "errors: \(report.errors)")
        #expect(report.successes == 3)
        // Requests 2 and 3 each found their kept-alive connection closed and went again.
        #expect(opened == 3)
    }
}
