import Fleet

/// Everything `aifactory serve` needs to start, as one value.
///
/// The CLI turns flags into this value and hands it to ``buildApplication(_:onServerRunning:)``;
/// tests build it directly, so the production wiring and the tested wiring are the same code.
public struct ServerConfiguration: Sendable, Hashable {
    /// Interface to bind. Defaults to loopback: the product is exposed deliberately, never by accident.
    public var host: String
    /// Port to bind; `0` asks the kernel for a free one (read it back through `onServerRunning`).
    public var port: Int
    /// Base URL of the Prometheus-compatible backend the server reads telemetry from.
    public var prometheusURL: String?
    /// Version string reported by `/healthz`.
    public var version: String
    /// Peers whose `X-Forwarded-For` names the client (`serve --trusted-proxies`); none by default,
    /// so the peer address is the client address.
    public var trustedProxies: TrustedProxies
    /// Browsers reach the server over https (`serve --secure-cookies`): the session cookie is
    /// `Secure` and `__Host-` prefixed, and only `https` origins count as this site.
    public var secureCookies: Bool

    public init(host: String = "127.0.0.1", port: Int = 8080, prometheusURL: String? = nil, version: String = AIFactoryVersion.current,
                trustedProxies: TrustedProxies = TrustedProxies(), secureCookies: Bool = false) {
        self.host = host
        self.port = port
        self.prometheusURL = prometheusURL
        self.version = version
        self.trustedProxies = trustedProxies
        self.secureCookies = secureCookies
    }

    var sessionCookie: SessionCookie { SessionCookie(secure: secureCookies) }
}
