import Fleet
import Foundation
import Hummingbird
import Store

/// The two calls `aifactory agent` makes (docs/AGENT.md "Enrol"), outside user authentication:
/// - `POST /api/v1/agent/enroll`: redeems a one-time token (in the body) and registers the node,
///   held as the token says; answers the node credential once.
/// - `POST /api/v1/agent/heartbeat` with `Authorization: Bearer <node credential>`.
///
/// They are registered beside, not under, the user API group: a node credential is not an API
/// key (AuthMiddleware would refuse it) and no browser cookie is read here, so the cookie CSRF
/// guard has nothing to guard. Failed tokens and credentials meet `FailedAuthLimiter` like failed
/// keys: counted per presented secret (by its hash) and per client address, 429 past the limit.
struct AgentRoutes {
    let dependencies: ServerDependencies
    var proxies = TrustedProxies()

    static let heartbeatPath = "/api/v1/agent/heartbeat"

    struct Enrol: StrictBody {
        static let fields: Set<String> = [
            "token", "name", "host", "gpuModel", "gpuCount", "gpuMemoryMiB", "gpuUUIDs", "address", "agentVersion",
        ]
        var token: String
        var name: String
        var host: String
        var gpuModel: String
        var gpuCount: Int
        var gpuMemoryMiB: Int
        var gpuUUIDs: [String]?
        /// `host:port` the agent serves `/metrics` on, as Prometheus should reach it.
        var address: String
        var agentVersion: String
    }

    struct Enrolled: Encodable, Sendable {
        var node: NodeView
        /// The node credential, shown once: the agent stores it and sends it with every heartbeat.
        var credential: String
        var heartbeatSeconds: Int
    }

    struct Heartbeat: StrictBody {
        static let fields: Set<String> = ["agentVersion", "intervalSeconds", "migGPUs"]
        var agentVersion: String
        var intervalSeconds: Int
        /// GPUs with MIG on (absent from agents before diagnostics: none).
        var migGPUs: [Int]?
    }

    func register(on router: Router<AppRequestContext>) {
        let agent = router.group("api/v1/agent")
        agent.post("enroll") { request, context -> Response in
            let body = try await StrictJSON.decode(Enrol.self, from: request)
            let now = dependencies.now()
            let gpuClass = try Self.gpuClass(model: body.gpuModel, memoryMiB: body.gpuMemoryMiB)
            // The holding is the token's; this placeholder is replaced inside the store's transaction.
            let candidate = NodeRecord(
                name: body.name, host: body.host, dcgmAddress: body.address, dcgmPath: "/metrics",
                gpuModel: body.gpuModel, gpuCount: body.gpuCount, gpuMemoryMiB: body.gpuMemoryMiB, gpuClass: gpuClass,
                gpuUUIDs: body.gpuUUIDs ?? [], holding: .dedicated(tenant: "pending"))
            do {
                let (node, credential) = try await dependencies.store.redeemEnrolmentToken(
                    body.token, node: candidate, agentVersion: body.agentVersion,
                    heartbeatSeconds: dependencies.agentHeartbeatSeconds, now: now)
                try? await dependencies.store.appendAudit(
                    actor: "agent (\(node.name))", action: "node.enroll", target: node.name,
                    detail: #"{"tenant":"\#(node.holding.tenant)"}"#)
                return try Enrolled(node: NodeView(node), credential: credential, heartbeatSeconds: dependencies.agentHeartbeatSeconds)
                    .jsonResponse(status: .created)
            } catch let error as EnrolmentError {
                try await refuse(request, context: context, secret: body.token, now: now, message: error.userMessage)
            } catch StoreError.invalid(let field, let reason) {
                // The store names the inventory's fields; the agent sent `address`, not `dcgmAddress`.
                throw APIError.unprocessable(field: field == "dcgmAddress" ? "address" : field, reason)
            } catch StoreError.duplicate(entity: "node", let name) {
                // Node names are unique across tenants; the answer must not say whose the name is.
                throw APIError.conflict("the node name '\(name)' is not available; start the agent with --node-name <another name>")
            }
        }
        agent.post("heartbeat") { request, context -> Response in
            let now = dependencies.now()
            let node = try await authenticatedNode(request, context: context)
            let body = try await StrictJSON.decode(Heartbeat.self, from: request)
            guard (1...86_400).contains(body.intervalSeconds) else {
                throw APIError.unprocessable(field: "intervalSeconds", "must be between 1 and 86400, not \(body.intervalSeconds)")
            }
            let mig = body.migGPUs ?? []
            guard mig.count <= 64, mig.allSatisfy({ (0..<1024).contains($0) }) else {
                throw APIError.unprocessable(field: "migGPUs", "at most 64 GPU indexes between 0 and 1023")
            }
            try await dependencies.store.recordHeartbeat(
                node: node, agentVersion: body.agentVersion, intervalSeconds: body.intervalSeconds,
                migGPUs: Array(Set(mig)).sorted(), now: now)
            return Response(status: .noContent)
        }
        AgentDiagnosticsRoutes(agent: self).register(on: agent)
        DrainRoutes(dependencies: dependencies).registerAgent(on: agent, agent: self)
    }

    /// The node whose credential the request carries as Bearer; 401 (or 429 past the limit) otherwise.
    func authenticatedNode(_ request: Request, context: AppRequestContext) async throws -> String {
        guard let credential = AuthMiddleware.bearerToken(request) else {
            throw APIError.unauthorized("send the node credential as Authorization: Bearer <credential>")
        }
        guard let node = try await dependencies.store.authenticateNode(credential: credential) else {
            try await refuse(request, context: context, secret: credential, now: dependencies.now(),
                             message: "unknown node credential; the node may have been removed: enrol it again with a new token")
        }
        return node
    }

    /// Counts a failed token or credential and answers 401 with `message`, or 429 past the limit.
    func refuse(_ request: Request, context: AppRequestContext, secret: String, now: Date, message: String) async throws -> Never {
        let address = proxies.clientAddress(request, peer: context.remoteAddress?.ipAddress)
        let credential = "agent:" + Secrets.sha256Hex(secret).prefix(16)
        if let wait = await dependencies.limiter.retryAfter(credential: credential, address: address, now: now) {
            throw APIError.tooManyRequests(retryAfter: wait)
        }
        await dependencies.limiter.recordFailure(credential: credential, address: address, now: now)
        throw APIError.unauthorized(message)
    }

    /// The class as the admin API's node registration derives it; 422 naming `gpuModel` otherwise.
    static func gpuClass(model: String, memoryMiB: Int) throws -> String {
        guard memoryMiB > 0 else { throw APIError.unprocessable(field: "gpuMemoryMiB", "must be greater than 0") }
        guard let derived = GPUClass.derive(modelName: model, memoryMiB: memoryMiB) else {
            throw APIError.unprocessable(
                field: "gpuModel",
                "no known GPU class for '\(model)' with \(memoryMiB) MiB (known: \(GPUClass.known.map(\.id).joined(separator: ", ")))")
        }
        return derived.id
    }
}
