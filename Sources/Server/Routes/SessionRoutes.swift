import Factory
import Foundation
import Hummingbird
import Fleet
import Store

/// `POST /api/v1/session` (log in with an API key → cookie) and `DELETE /api/v1/session`.
struct SessionRoutes {
    let dependencies: ServerDependencies

    struct Login: StrictBody {
        static let fields: Set<String> = ["apiKey"]
        var apiKey: String
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("session") { request, context -> Response in
            let body = try await StrictJSON.decode(Login.self, from: request)
            let now = dependencies.now()
            if let wait = await dependencies.limiter.retryAfter(client: context.clientKey, now: now) {
                throw APIError.tooManyRequests(retryAfter: wait)
            }
            guard let (key, user) = try await dependencies.store.authenticate(apiKey: body.apiKey, now: now) else {
                await dependencies.limiter.recordFailure(client: context.clientKey, now: now)
                throw APIError.unauthorized("invalid or revoked API key")
            }
            let token = await dependencies.sessions.open(userID: user.id, keyID: key.id, now: now)
            let maxAge = Int(dependencies.sessions.lifetime)
            let cookie = "\(AuthMiddleware.cookieName)=\(token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
            return try MeResponse.Session(user: user.name, tenant: user.tenant).jsonResponse(headers: [.setCookie: cookie])
        }
        group.delete("session") { request, _ -> Response in
            if let token = request.cookies[AuthMiddleware.cookieName]?.value {
                await dependencies.sessions.close(token)
            }
            let expired = "\(AuthMiddleware.cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
            return Response(status: .noContent, headers: [.setCookie: expired])
        }
    }
}
