import Fleet
import Foundation
import Hummingbird
import Store

/// `POST /api/v1/admin/nodes/enroll-tokens`: mint a one-time token that `aifactory agent` redeems
/// to register its GPU host (docs/AGENT.md "Enrol").
///
/// Operators mint for any tenant; a tenant admin for its own tenant only (another tenant answers
/// 404, as elsewhere in the admin API); members get 403. The token and its audit row commit in
/// one transaction, and the plaintext appears only in this response.
struct EnrolmentRoutes {
    let dependencies: ServerDependencies
    let secureCookies: Bool

    static let defaultTTLSeconds = 3600
    static let maxTTLSeconds = 7 * 24 * 3600
    static let minTTLSeconds = 60

    struct CreateToken: StrictBody {
        static let fields: Set<String> = ["tenant", "pool", "ttlSeconds"]
        var tenant: String
        var pool: String?
        var ttlSeconds: Int?
    }

    struct CreatedToken: Encodable, Sendable {
        var id: String
        var token: String
        var tenant: String
        var pool: String?
        var expiresAt: Date
        /// The one line to run on the GPU host.
        var command: String
    }

    func register(on admin: RouterGroup<AppRequestContext>) {
        admin.post("nodes/enroll-tokens") { request, context -> Response in
            let routes = AdminRoutes(dependencies: dependencies)
            let identity = try routes.requireAdmin(context)
            let body = try await StrictJSON.decode(CreateToken.self, from: request)
            if !identity.user.isOperator {
                guard body.tenant == identity.tenant else { throw APIError.notFound("tenant") }
            }
            let ttl = body.ttlSeconds ?? Self.defaultTTLSeconds
            guard (Self.minTTLSeconds...Self.maxTTLSeconds).contains(ttl) else {
                throw APIError.unprocessable(
                    field: "ttlSeconds", "must be between \(Self.minTTLSeconds) and \(Self.maxTTLSeconds) (7 days), not \(ttl)")
            }
            let actor = AdminRoutes.actor(identity)
            let (record, token) = try await dependencies.store.createEnrolmentToken(
                tenant: body.tenant, pool: body.pool, createdBy: actor,
                expiresAt: dependencies.now().addingTimeInterval(TimeInterval(ttl)),
                audit: AuditNote(actor: actor, action: "node.enroll-token", detail: ["ttlSeconds": String(ttl)]))
            let server = Self.serverURL(request, secure: secureCookies)
            let command = "aifactory agent --server \(server) --enroll-token \(token) --listen 0.0.0.0:9400 --state-dir /var/lib/aifactory-agent"
            return try CreatedToken(
                id: record.id, token: token, tenant: record.tenant, pool: record.pool, expiresAt: record.expiresAt, command: command
            ).jsonResponse(status: .created)
        }
    }

    /// The URL this request reached the server at (scheme from the cookie setting: `--secure-cookies`
    /// means browsers and agents come over https).
    static func serverURL(_ request: Request, secure: Bool) -> String {
        let authority = request.head.authority ?? "SERVER:8080"
        return (secure ? "https://" : "http://") + authority
    }
}
