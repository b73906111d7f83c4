public import AsyncHTTPClient
import NIOCore
import NIOHTTPCompression
import NIOSSL

extension HTTPClient {
    /// The HTTP client Prometheus reads use unless one is injected.
    ///
    /// Two settings differ from `HTTPClient.shared`, both learnt against a real Prometheus:
    /// - **Decompression by size, not ratio.** The shared client refuses gzip bodies that expand
    ///   more than 25×; a Prometheus vector answer repeats the same label sets and compresses far
    ///   better than that (a 90 KB answer for 11 GPUs × 21 fields failed with "limit"). The cap
    ///   is the client's own 64 MiB response limit instead.
    /// - **No connection retries.** A Prometheus that is down should read as down at once (the
    ///   page then serves the last known values as stale) rather than after a full timeout of
    ///   reconnect attempts.
    ///
    /// A process-wide instance, like `HTTPClient.shared`: it is never shut down.
    public static let prometheus = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .prometheus())
}

extension HTTPClient.Configuration {
    /// The settings of `HTTPClient.prometheus`, with `tls` for a backend behind a private CA
    /// (`PrometheusBackend`): every client the product makes for a metrics backend shares them.
    static func prometheus(tls: TLSConfiguration? = nil) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.decompression = .enabled(limit: .size(64 << 20))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(2)
        return configuration
    }
}
