import Hummingbird
import HTTPTypes
import NIOConcurrencyHelpers
public import NIOCore
import NIOHTTPTypes

/// Timestamps the simulated inference API takes at the socket, so its ground truth is the TTFT
/// a client on the wire can see.
///
/// Stamped in the route handler, the truth missed two thread hops: the request head travels from
/// the event loop to a Swift-concurrency task before the handler runs, and every write travels
/// back. Measured on the 2-core machine, those hops made the handler's TTFT 0.49 ms shorter than
/// the time between the request's `read` and the first token's `writev` (perf syscall
/// tracepoints), so even a blocking Python client on an idle machine showed a 0.57 ms "error".
///
/// `WireClockHandler` sits in each connection's pipeline: it stamps a request head as it is
/// decoded (passing the stamp to the route in a header it owns, overwriting any a client sent)
/// and stamps the first body part of each response after its flush, when the bytes have been
/// handed to the kernel. Routes mounted without the handler (unit tests) fall back to their own
/// stamps.
public final class WireClock: Sendable {
    /// Request header carrying the head's arrival, nanoseconds after `origin`.
    static let receivedField = HTTPField.Name("x-aifactory-simulator-received-ns")!
    /// Request header naming the connection, to find its first-body stamp.
    static let connectionField = HTTPField.Name("x-aifactory-simulator-connection")!

    let origin = ContinuousClock.now
    private let state = NIOLockedValueBox(State())

    private struct State {
        var nextConnection: UInt64 = 0
        /// Per open connection: when the current response's first body part was flushed.
        var firstBodyFlushed: [UInt64: ContinuousClock.Instant?] = [:]
    }

    public init() {}

    /// A handler for one new connection (Hummingbird's `additionalChannelHandlers`).
    public func makeHandler() -> any RemovableChannelHandler {
        let id = state.withLockedValue { state in
            state.nextConnection += 1
            state.firstBodyFlushed[state.nextConnection] = .some(nil)
            return state.nextConnection
        }
        return WireClockHandler(clock: self, connection: id)
    }

    /// When the request whose headers these are arrived, if the handler stamped it.
    func received(_ request: Request) -> ContinuousClock.Instant? {
        guard let text = request.headers[Self.receivedField], let nanos = Int64(text) else { return nil }
        return origin.advanced(by: .nanoseconds(nanos))
    }

    /// When the first body part of the response to `request` was flushed, if it has been.
    func firstBodyFlushed(respondingTo request: Request) -> ContinuousClock.Instant? {
        guard let text = request.headers[Self.connectionField], let id = UInt64(text) else { return nil }
        return state.withLockedValue { $0.firstBodyFlushed[id] ?? nil }
    }

    fileprivate func responseStarted(connection: UInt64) {
        state.withLockedValue { state in
            if state.firstBodyFlushed[connection] != nil { state.firstBodyFlushed[connection] = .some(nil) }
        }
    }

    fileprivate func firstBodyFlushed(connection: UInt64, at instant: ContinuousClock.Instant) {
        state.withLockedValue { state in
            if state.firstBodyFlushed[connection] != nil { state.firstBodyFlushed[connection] = instant }
        }
    }

    fileprivate func closed(connection: UInt64) {
        _ = state.withLockedValue { $0.firstBodyFlushed.removeValue(forKey: connection) }
    }
}

/// One connection's stamps (see `WireClock`); runs on the connection's event loop only.
final class WireClockHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let clock: WireClock
    private let connection: UInt64
    private var awaitingFirstBody = false
    private var firstBodyWritten = false

    init(clock: WireClock, connection: UInt64) {
        self.clock = clock
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        let elapsed = ContinuousClock.now - clock.origin
        let (seconds, attoseconds) = elapsed.components
        head.headerFields[WireClock.receivedField] = String(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        head.headerFields[WireClock.connectionField] = String(connection)
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head:
            awaitingFirstBody = true
            clock.responseStarted(connection: connection)
        case .body where awaitingFirstBody:
            awaitingFirstBody = false
            firstBodyWritten = true
        default:
            break
        }
        context.write(data, promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        context.flush()
        if firstBodyWritten {
            firstBodyWritten = false
            clock.firstBodyFlushed(connection: connection, at: .now)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        clock.closed(connection: connection)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        clock.closed(connection: connection)
    }
}
