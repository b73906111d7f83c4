import Factory
import Foundation
import Hummingbird
import Fleet
import Store

/// `POST /api/v1/session` (log in with an API key → cookie) and `DELETE /api/v1/session`.
///
/// Both work whatever cookie the browser still holds (`AuthMiddleware` lets an unknown one
/// through here): login replaces it, logout expires it. Logins and failed logins are audited; a
/// failed login counts against the key prefix and the client address (`FailedAuthLimiter`),
/// and failures past the limit answer 429 without another audit row, so a scanner cannot flood
/// the log.
struct SessionRoutes {
    let dependencies: ServerDependencies
    var cookie = SessionCookie()
    var proxies = TrustedProxies()

    static let path = "/api/v1/session"

    struct Login: StrictBody {
        static let fields: Set<String> = ["apiKey"]
        var apiKey: String
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("session") { request, context -> Response in
            let body = try await StrictJSON.decode(Login.self, from: request)
            let now = dependencies.now()
            let store = dependencies.store
            guard let (key, user) = try await store.authenticate(apiKey: body.apiKey, now: now) else {
                let address = proxies.clientAddress(request, peer: context.remoteAddress?.ipAddress)
                let credential = Secrets.keyPrefix(of: body.apiKey)
                if let wait = await dependencies.limiter.retryAfter(credential: credential, address: address, now: now) {
                    throw APIError.tooManyRequests(retryAfter: wait)
                }
                await dependencies.limiter.recordFailure(credential: credential, address: address, now: now)
                try await store.appendAudit(actor: "anonymous (\(address))", action: "session.login_failed",
                                            target: credential ?? "(not an API key)", detail: "{}")
                throw APIError.unauthorized("invalid or revoked API key")
            }
            // Audited before the session exists: no session is ever opened unrecorded.
            try await store.appendAudit(actor: "\(user.name) (\(user.id))", action: "session.login", target: key.id,
                                        detail: #"{"prefix":"\#(key.prefix)"}"#)
            let token = try await dependencies.sessions.open(userID: user.id, keyID: key.id, now: now, in: store)
            let setCookie = cookie.setting(token, maxAge: Int(dependencies.sessions.lifetime))
            return try MeResponse.Session(user: user.name, tenant: user.tenant).jsonResponse(headers: [.setCookie: setCookie])
        }
        group.delete("session") { request, context -> Response in
            if let token = request.cookies[cookie.name]?.value {
                try await dependencies.sessions.close(token, in: dependencies.store)
            }
            return Response(status: .noContent, headers: [.setCookie: cookie.expired])
        }
    }
}
