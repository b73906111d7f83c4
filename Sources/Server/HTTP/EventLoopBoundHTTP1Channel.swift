import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 child channel whose connection handler prefers the connection's event loop.
///
/// Everything the handler awaits (routes, middleware, the Prometheus client) then starts on the
/// thread that reads and writes the connection: see `EventLoopTaskExecutor` for why and for the
/// rule it imposes (never block).
struct EventLoopBoundHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 like `.http1(configuration:)`, with each connection's handler on its own event loop.
    static func eventLoopBoundHTTP1(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        .init { responder in
            EventLoopBoundHTTP1Channel(base: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}
