import Factory
import Foundation
import Hummingbird
import Store

/// Resolves the caller from `Authorization: Bearer <key>` or the session cookie.
///
/// It never rejects by itself: routes decide what they need (`requireIdentity()`, admin checks),
/// so public routes (`/healthz`, login) stay public. Credentials are checked first; only a
/// presented-but-wrong credential meets the limiter (`FailedAuthLimiter`), counted against its
/// key prefix and the client address, and answers 429 with `Retry-After` once either is over its
/// limit. A valid key is therefore never refused because others failed. An unknown cookie on the
/// login/logout route is ignored (the route replaces or expires it), so a cookie from before a
/// database reset cannot lock a browser out of signing in again.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: any Store
    let sessions: SessionStore
    let limiter: FailedAuthLimiter
    let now: @Sendable () -> Date
    var cookie = SessionCookie()
    var proxies = TrustedProxies()
    /// Whether the key may also come as the password of HTTP basic auth (any user name): the
    /// Prometheus API, where Grafana's data source and promtool send it that way.
    var acceptsBasicAuth = false
    /// Whether the session cookie is read (not on the Prometheus API, which is for programs).
    var acceptsSessionCookie = true

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let bearer = Self.bearerToken(request) ?? (acceptsBasicAuth ? Self.basicPassword(request) : nil)
        let cookie = acceptsSessionCookie ? request.cookies[self.cookie.name]?.value : nil
        if bearer != nil || cookie != nil {
            let time = now()
            var identity: Identity?
            if let bearer {
                identity = try await Authenticator(store: store).caller(apiKey: bearer, now: time).map(Identity.init)
            } else if let cookie, let session = try await sessions.lookup(cookie, now: time, in: store) {
                // The key behind the session must still be valid: revocation ends sessions.
                identity = try await Authenticator(store: store).caller(sessionUserID: session.userID, keyID: session.keyID).map(Identity.init)
            }
            guard let identity else {
                if bearer == nil, request.uri.path == SessionRoutes.path {
                    return try await next(request, context)
                }
                let address = proxies.clientAddress(request, peer: context.remoteAddress?.ipAddress)
                let credential = bearer.flatMap(Secrets.keyPrefix(of:))
                if let wait = await limiter.retryAfter(credential: credential, address: address, now: time) {
                    throw APIError.tooManyRequests(retryAfter: wait)
                }
                await limiter.recordFailure(credential: credential, address: address, now: time)
                throw APIError.unauthorized(bearer != nil ? "invalid or revoked API key" : "session expired or invalid; log in again")
            }
            context.identity = identity
        }
        return try await next(request, context)
    }

    /// The password of `Authorization: Basic base64(user:password)`, whatever the user name;
    /// `nil` when the header is absent, not basic, not base64 or carries an empty password.
    static func basicPassword(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let decoded = Data(base64Encoded: String(parts[1].trimmingCharacters(in: .whitespaces))),
              let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        let password = String(text[text.index(after: colon)...])
        return password.isEmpty ? nil : password
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
