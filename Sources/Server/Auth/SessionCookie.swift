/// The browser session cookie's name and attributes, in one place for login, logout and auth.
///
/// Always `HttpOnly` (no script reads it) and `SameSite=Strict`. Served over TLS it is also
/// `Secure` and named with the `__Host-` prefix, which browsers accept only from a secure origin,
/// with `Path=/` and no `Domain`: a sibling subdomain or a plain-http page on the same host
/// cannot set or overwrite it (cookie tossing).
public struct SessionCookie: Sendable, Hashable {
    /// `true` when browsers reach the server over https (`serve --secure-cookies`).
    public var secure: Bool

    public init(secure: Bool = false) {
        self.secure = secure
    }

    public static let baseName = "aif_session"

    public var name: String { secure ? "__Host-" + Self.baseName : Self.baseName }

    private var attributes: String {
        "Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// `Set-Cookie` value opening a session.
    func setting(_ token: String, maxAge: Int) -> String {
        "\(name)=\(token); Max-Age=\(maxAge); \(attributes)"
    }

    /// `Set-Cookie` value that makes the browser drop the cookie.
    var expired: String {
        "\(name)=; Max-Age=0; \(attributes)"
    }
}
