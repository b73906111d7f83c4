import Fleet
import Foundation
import Hummingbird
import Store

/// Taking a node out of the inference gateway's routing and giving it back (docs/GATEWAY.md
/// "Draining"). The state lives in the store, so every gateway replica on it follows within a
/// second; in-flight requests finish, new ones go to the pool's other nodes.
///
/// - `PUT /api/v1/admin/nodes/{name}/drain` with a JSON body (`{}` or `{"reason": …}`) and `DELETE …/drain`: operators on any
///   node, tenant admins on nodes their tenant holds (another tenant's node answers 404).
/// - `GET /api/v1/admin/drains`: the drained nodes the caller may see.
/// - `POST /api/v1/agent/drain` `{"action": "drain" | "restore", "reason"?}` with the node
///   credential: the agent's built-in drain before a diagnostic (`--drain-hook gateway`).
///
/// Every change is audited; draining a drained node (or restoring a routed one) changes nothing
/// and says so (`changed: false`).
struct DrainRoutes {
    let dependencies: ServerDependencies

    struct Change: StrictBody {
        static let fields: Set<String> = ["reason"]
        var reason: String?
    }

    struct AgentChange: StrictBody {
        static let fields: Set<String> = ["action", "reason"]
        var action: String
        var reason: String?
    }

    struct Answer: Encodable, Sendable {
        var node: String
        var drained: Bool
        var changed: Bool
    }

    func registerAdmin(on group: RouterGroup<AppRequestContext>, admin: AdminRoutes) {
        group.put("nodes/:name/drain") { request, context -> Response in
            let identity = try admin.requireAdmin(context)
            let node = try await heldNode(context, identity)
            let body = try await StrictJSON.decode(Change.self, from: request)
            let reason = body.reason ?? "drained by \(identity.user.name)"
            return try await change(node: node, reason: reason, actor: AdminRoutes.actor(identity))
        }
        group.delete("nodes/:name/drain") { _, context -> Response in
            let identity = try admin.requireAdmin(context)
            let node = try await heldNode(context, identity)
            return try await change(node: node, reason: nil, actor: AdminRoutes.actor(identity))
        }
        group.get("drains") { _, context -> Response in
            let identity = try admin.requireAdmin(context)
            let drains = try await dependencies.store.nodeDrains()
            guard let tenant = identity.tenant else { return try drains.jsonResponse() }
            let held = Set(try await dependencies.store.nodes().filter { $0.holding.tenant == tenant }.map(\.name))
            return try drains.filter { held.contains($0.node) }.jsonResponse()
        }
    }

    func registerAgent(on group: RouterGroup<AppRequestContext>, agent: AgentRoutes) {
        group.post("drain") { request, context -> Response in
            let node = try await agent.authenticatedNode(request, context: context)
            let body = try await StrictJSON.decode(AgentChange.self, from: request)
            switch body.action {
            case "drain":
                return try await change(node: node, reason: body.reason ?? "drained by its agent", actor: "agent (\(node))")
            case "restore":
                return try await change(node: node, reason: nil, actor: "agent (\(node))")
            default:
                throw APIError.unprocessable(field: "action", "must be \"drain\" or \"restore\", not \"\(body.action)\"")
            }
        }
    }

    /// The node named in the path when `identity` may drain it: any for an operator, its
    /// tenant's for a tenant admin; 404 otherwise, like a missing node.
    func heldNode(_ context: AppRequestContext, _ identity: Identity) async throws -> String {
        let name = try context.parameters.require("name")
        guard let node = try await dependencies.store.node(named: name),
              identity.user.isOperator || node.holding.tenant == identity.tenant
        else { throw APIError.notFound("node") }
        return node.name
    }

    func change(node: String, reason: String?, actor: String) async throws -> Response {
        if let reason, reason.isEmpty || reason.count > 256 {
            throw APIError.unprocessable(field: "reason", "must be 1 to 256 characters")
        }
        let changed = try await dependencies.store.setNodeDrain(node: node, reason: reason, at: dependencies.now())
        if changed {
            let detail = (try? JSONEncoder().encode(["reason": reason ?? ""])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            try await dependencies.store.appendAudit(
                actor: actor, action: reason == nil ? "node.restore" : "node.drain", target: node, detail: detail)
        }
        return try Answer(node: node, drained: reason != nil, changed: changed).jsonResponse()
    }
}
