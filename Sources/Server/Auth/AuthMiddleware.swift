import Factory
import Foundation
import Hummingbird
import Store

/// Resolves the caller from `Authorization: Bearer <key>` or the session cookie.
///
/// It never rejects by itself: routes decide what they need (`requireIdentity()`, admin checks),
/// so public routes (`/healthz`, login) stay public. Presented-but-wrong credentials count as a
/// failure for the per-client limiter, and a limited client gets 429 with `Retry-After` even
/// before its credentials are checked.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: any Store
    let sessions: SessionStore
    let limiter: FailedAuthLimiter
    let now: @Sendable () -> Date

    static let cookieName = "aif_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let bearer = Self.bearerToken(request)
        let cookie = request.cookies[Self.cookieName]?.value
        if bearer != nil || cookie != nil {
            let time = now()
            if let wait = await limiter.retryAfter(client: context.clientKey, now: time) {
                throw APIError.tooManyRequests(retryAfter: wait)
            }
            var identity: Identity?
            if let bearer {
                identity = try await Authenticator(store: store).caller(apiKey: bearer, now: time).map(Identity.init)
            } else if let cookie, let session = await sessions.lookup(cookie, now: time) {
                // The key behind the session must still be valid: revocation ends sessions.
                identity = try await Authenticator(store: store).caller(sessionUserID: session.userID, keyID: session.keyID).map(Identity.init)
            }
            guard let identity else {
                await limiter.recordFailure(client: context.clientKey, now: time)
                throw APIError.unauthorized(bearer != nil ? "invalid or revoked API key" : "session expired or invalid; log in again")
            }
            context.identity = identity
        }
        return try await next(request, context)
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
