import HTTPTypes
import Hummingbird

/// Refuses cross-site writes that ride on the session cookie (CSRF).
///
/// `SameSite=Strict` alone does not stop a *same-site* origin (another port on the host, a
/// sibling subdomain), and a `text/plain` form can post a body that parses as JSON. So a write
/// (POST, PUT, PATCH, DELETE) that carries the session cookie and no bearer key must:
/// - come from this site's own pages: `Sec-Fetch-Site: same-origin`, or, where a client sends no
///   fetch metadata, an `Origin` equal to the request's own scheme and host;
/// - carry any body as `Content-Type: application/json` (a form cannot send that cross-site
///   without a CORS preflight, which this server never grants).
/// Login (`POST /api/v1/session`) carries its own key in the body, not the cookie; it is refused
/// only when it visibly comes from another site, so a victim cannot be logged into an attacker's
/// account. Bearer-key requests are not affected: a page cannot make a browser attach them.
struct CookieWriteGuard: RouterMiddleware {
    typealias Context = AppRequestContext
    let cookie: SessionCookie

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.isWrite(request.method) else { return try await next(request, context) }
        let usesCookie = request.cookies[cookie.name] != nil && AuthMiddleware.bearerToken(request) == nil
        let isLogin = request.uri.path == SessionRoutes.path && request.method == .post
        if usesCookie || isLogin {
            switch origin(of: request) {
            case .sameOrigin: break
            case .crossOrigin:
                throw Self.refused("this write came from another site; cookie sessions accept writes only from this server's own pages")
            case .unknown where usesCookie && !isLogin:
                throw Self.refused("a write with the session cookie must send Origin (or Sec-Fetch-Site: same-origin); scripts should use Authorization: Bearer <api key>")
            case .unknown: break
            }
        }
        if usesCookie, let problem = StrictJSON.contentTypeProblem(request) {
            throw problem
        }
        return try await next(request, context)
    }

    static func isWrite(_ method: HTTPRequest.Method) -> Bool {
        method == .post || method == .put || method == .patch || method == .delete
    }

    enum Provenance { case sameOrigin, crossOrigin, unknown }

    /// Fetch metadata first (browsers send it on every request and scripts cannot forge it in a
    /// browser), then `Origin` compared with the request's own authority.
    func origin(of request: Request) -> Provenance {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!]?.lowercased() {
            return site == "same-origin" ? .sameOrigin : .crossOrigin
        }
        guard let origin = request.headers[HTTPField.Name("Origin")!] else { return .unknown }
        guard let authority = request.head.authority else { return .crossOrigin }
        let schemes = cookie.secure ? ["https"] : ["http", "https"]
        let candidates = schemes.map { "\($0)://\(authority.lowercased())" }
        return candidates.contains(origin.lowercased()) ? .sameOrigin : .crossOrigin
    }

    static func refused(_ message: String) -> APIError {
        APIError(.forbidden, code: "cross_site_write", message: message)
    }
}
