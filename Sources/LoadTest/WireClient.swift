import Foundation
import NIOCore
import NIOPosix

/// The load generator's HTTP/1.1 client for plain `http://` endpoints: pooled keep-alive
/// connections on one event loop, each request written as one prebuilt buffer, each response
/// parsed straight from the socket's buffers into the SSE parser.
///
/// Why not AsyncHTTPClient here (it still carries `https://`, see `StreamingClient`): a load
/// generator's own CPU is both cost and timing error on the machine it measures from. Measured
/// on the 2-core machine at 200 req/s, AsyncHTTPClient's per-request machinery (task and
/// request-bag state machines, pool bookkeeping, logger metadata, header validation, the
/// body-demand round trip per chunk) was most of the generator's client CPU
/// (docs/LOADTEST.md). This client does what a streaming benchmark needs and nothing else:
/// no redirects, no decompression, no TLS, no request pipelining.
final class WireClient: RequestStarter {
    private let host: String
    private let port: Int
    /// The address `OutboundPolicy` approved: connections go there, never to a fresh resolution.
    private let pinned: SocketAddress?
    /// Request line and fixed headers, up to and including `Content-Length: `.
    private let head: [UInt8]
    private let timeout: TimeAmount
    private let loop: any EventLoop
    private let idle: NIOLoopBoundBox<[WireConnection]>
    private let opened: NIOLoopBoundBox<Int>

    /// `nil` unless `url` is a plain `http://` URL with a host.
    init?(url: String, apiKey: String?, timeout: Duration, loop: any EventLoop, pinned: PinnedAddress? = nil) {
        guard let parsed = URL(string: url), parsed.scheme?.lowercased() == "http", let host = parsed.host, !host.isEmpty else { return nil }
        self.host = host
        port = parsed.port ?? 80
        self.pinned = pinned.flatMap { try? SocketAddress(ipAddress: $0.address, port: parsed.port ?? 80) }
        if pinned != nil, self.pinned == nil { return nil }
        var path = parsed.path.isEmpty ? "/" : parsed.path
        if let query = parsed.query { path += "?" + query }
        let authority = (host.contains(":") ? "[\(host)]" : host) + (parsed.port.map { ":\($0)" } ?? "")
        var text = "POST \(path) HTTP/1.1\r\nHost: \(authority)\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\n"
        if let apiKey { text += "Authorization: Bearer \(apiKey)\r\n" }
        text += "Content-Length: "
        head = Array(text.utf8)
        let (seconds, attoseconds) = timeout.components
        self.timeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        self.loop = loop
        idle = .makeBoxSendingValue([], eventLoop: loop)
        opened = .makeBoxSendingValue(0, eventLoop: loop)
    }

    /// Connections opened so far (keep-alive makes this the peak concurrency, not the request count).
    func connectionsOpened() async -> Int {
        let opened = self.opened
        return (try? await loop.submit { opened.value }.get()) ?? 0
    }

    func start(body: [UInt8], inputTokens: Int, scheduled: UInt64?, stopwatch: Stopwatch, on loop: any EventLoop,
               completion: @escaping @Sendable (RequestRecord) -> Void) -> (any InFlightRequest)? {
        let exchange = WireExchange(record: RequestRecord(scheduled: scheduled, start: stopwatch.now(), inputTokens: inputTokens),
                                    stopwatch: stopwatch, completion: completion)
        var buffer = ByteBufferAllocator().buffer(capacity: head.count + body.count + 24)
        buffer.writeBytes(head)
        buffer.writeString(String(body.count))
        buffer.writeStaticString("\r\n\r\n")
        buffer.writeBytes(body)
        let request = buffer
        exchange.deadline = loop.scheduleTask(in: timeout) { [exchange = NIOLoopBound(exchange, eventLoop: loop)] in
            exchange.value.fail(.timeout)
        }
        dispatch(exchange, request: request)
        return exchange
    }

    /// Sends `request` on an idle connection, or on a new one.
    fileprivate func dispatch(_ exchange: WireExchange, request: ByteBuffer) {
        while let connection = idle.value.popLast() {
            if connection.isUsable {
                connection.send(exchange, request: request)
                return
            }
        }
        opened.value += 1
        let connection = WireConnection(client: self)
        let bound = NIOLoopBound(connection, eventLoop: loop)
        let bootstrap = ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(bound.value) }
            }
        (pinned.map { bootstrap.connect(to: $0) } ?? bootstrap.connect(host: host, port: port))
            .whenComplete { [exchange = NIOLoopBound(exchange, eventLoop: loop)] result in
                switch result {
                case .success:
                    bound.value.send(exchange.value, request: request)
                case .failure:
                    exchange.value.fail(.connect)
                }
            }
    }

    /// A connection whose response ended with keep-alive takes the next request.
    fileprivate func release(_ connection: WireConnection) {
        idle.value.append(connection)
    }

    func shutdown() async {
        let idle = self.idle
        try? await loop.submit {
            for connection in idle.value { connection.close() }
            idle.value.removeAll()
        }.get()
    }
}

/// One request on its way: collects the response into a `RequestRecord` and reports it once.
/// Lives on the client's event loop.
final class WireExchange: InFlightRequest {
    private(set) var recorder: ResponseRecorder
    let stopwatch: Stopwatch
    private let completion: @Sendable (RequestRecord) -> Void
    var deadline: Scheduled<Void>?
    /// The connection carrying it, once it has one.
    fileprivate var connection: WireConnection?
    private(set) var isFinished = false
    /// Already sent again after its reused connection closed unanswered (at most once).
    fileprivate var wasRetried = false

    init(record: RequestRecord, stopwatch: Stopwatch, completion: @escaping @Sendable (RequestRecord) -> Void) {
        recorder = ResponseRecorder(record: record)
        self.stopwatch = stopwatch
        self.completion = completion
    }

    var receivedHead: Bool { recorder.receivedHead }

    fileprivate func head(status: Int) { recorder.head(status: status) }

    fileprivate func body(_ bytes: UnsafeRawBufferPointer) { recorder.body(bytes, stopwatch: stopwatch) }

    /// The response ended normally.
    fileprivate func succeed() {
        finish(recorder.finished(at: stopwatch.now()))
    }

    /// The request failed (`kind`); its connection, if any, is closed.
    func fail(_ kind: RequestErrorKind) {
        guard !isFinished else { return }
        let connection = self.connection
        finish(recorder.failed(at: stopwatch.now(), kind: kind))
        connection?.abandon(self)
    }

    func cancel() {
        fail(.connect)  // the driver marks the record cancelled: it counts nowhere
    }

    private func finish(_ record: RequestRecord) {
        guard !isFinished else { return }
        isFinished = true
        deadline?.cancel()
        deadline = nil
        connection = nil
        completion(record)
    }
}

/// One keep-alive connection: writes a request, parses its response, then waits in the pool.
final class WireConnection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let client: WireClient
    private var context: ChannelHandlerContext?
    private var current: WireExchange?
    private var parser = HTTPResponseParser()
    private var closed = false
    /// Responses completed on this connection (a reused one may have been closed by the server
    /// while idle, just as the request went out).
    private var served = 0
    private var request: ByteBuffer?
    private var receivedBytes = false

    fileprivate init(client: WireClient) {
        self.client = client
    }

    fileprivate var isUsable: Bool { !closed && context?.channel.isActive == true }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    fileprivate func send(_ exchange: WireExchange, request: ByteBuffer) {
        guard !exchange.isFinished else {
            // Cancelled or timed out while connecting: the connection is still good.
            if isUsable { client.release(self) }
            return
        }
        guard let context, isUsable else {
            exchange.fail(.connect)
            return
        }
        current = exchange
        exchange.connection = self
        parser = HTTPResponseParser()
        receivedBytes = false
        self.request = served > 0 ? request : nil
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let exchange = current else { return }  // bytes nobody asked for: ignored
        receivedBytes = true
        var ended: Bool?
        do {
            try buffer.withUnsafeReadableBytes { bytes throws(HTTPResponseParser.Failure) in
                try parser.feed(bytes) { event in
                    switch event {
                    case .head(let status): exchange.head(status: status)
                    case .body(let part): exchange.body(part)
                    case .end(let keepAlive): ended = keepAlive
                    }
                }
            }
        } catch {
            exchange.fail(exchange.receivedHead ? .midStreamDisconnect : .connect)
            return
        }
        // Completed outside the parser's callback: the completion may hand this connection its
        // next request at once.
        if let keepAlive = ended {
            current = nil
            request = nil
            served += 1
            if keepAlive {
                client.release(self)
            } else {
                close()
            }
            exchange.succeed()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        if let exchange = current {
            current = nil
            if !receivedBytes, let request, !exchange.wasRetried {
                // A kept-alive connection the server closed as this request went out (an idle
                // timeout racing the reuse): nothing was processed, so it goes once more on a
                // fresh connection, as HTTP clients do for idempotent-by-construction retries.
                self.request = nil
                exchange.wasRetried = true
                exchange.connection = nil
                client.dispatch(exchange, request: request)
                context.fireChannelInactive()
                return
            }
            var ended = false
            if parser.connectionClosed(event: { _ in ended = true }), ended {
                exchange.succeed()
            } else {
                exchange.fail(exchange.receivedHead ? .midStreamDisconnect : .connect)
            }
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close()
    }

    /// `exchange` failed (timeout, cancel, parse error): this connection's state is unknown.
    fileprivate func abandon(_ exchange: WireExchange) {
        guard current === exchange else { return }
        current = nil
        close()
    }

    func close() {
        guard !closed else { return }
        closed = true
        context?.close(promise: nil)
    }
}
