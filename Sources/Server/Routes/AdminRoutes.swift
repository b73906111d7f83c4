import Fleet
import Foundation
import Hummingbird
import Factory
import Store

/// The admin API under `/api/v1/admin`: connect a GPU end to end.
///
/// Site operators may do everything. A tenant admin may manage users and keys of its own tenant
/// only; anything of another tenant answers 404 (never confirming it exists). Members get 403.
/// Every change is written to the audit log with the acting user.
struct AdminRoutes {
    let dependencies: ServerDependencies

    func register(on group: RouterGroup<AppRequestContext>) {
        let store = dependencies.store

        group.get("tenants") { _, context -> Response in
            try requireOperator(context)
            return try await store.tenants().jsonResponse()
        }
        group.post("tenants") { request, context -> Response in
            let actor = try requireOperator(context)
            let body = try await StrictJSON.decode(AdminBodies.CreateTenant.self, from: request)
            let tenant = try await store.createTenant(name: body.name, displayName: body.displayName ?? body.name)
            try await audit(actor, "tenant.create", tenant.name)
            return try tenant.jsonResponse(status: .created)
        }

        group.get("users") { _, context -> Response in
            let identity = try requireAdmin(context)
            let users = try await store.users(tenant: identity.user.isOperator ? nil : identity.tenant)
            return try users.jsonResponse()
        }
        group.post("users") { request, context -> Response in
            let identity = try requireAdmin(context)
            let body = try await StrictJSON.decode(AdminBodies.CreateUser.self, from: request)
            guard let kind = UserKind(rawValue: body.kind) else {
                throw APIError.unprocessable(field: "kind", "must be one of \(UserKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !identity.user.isOperator {
                // A tenant admin creates people in its own tenant only, and never operators.
                guard kind != .siteOperator else { throw APIError.forbidden("only site operators can create site operators") }
                guard body.tenant == nil || body.tenant == identity.tenant else { throw APIError.notFound("tenant") }
            }
            let tenant = identity.user.isOperator ? body.tenant : identity.tenant
            let user: User
            do {
                user = try await store.createUser(name: body.name, tenant: kind == .siteOperator ? nil : tenant, kind: kind)
            } catch StoreError.duplicate(entity: "user", _) {
                // User names are unique across tenants; the answer must not say whose the name is.
                throw APIError.conflict("the user name '\(body.name)' is not available; choose another")
            }
            try await audit(identity, "user.create", user.id, detail: ["name": user.name, "kind": kind.rawValue])
            return try user.jsonResponse(status: .created)
        }

        group.post("users/:id/keys") { request, context -> Response in
            let identity = try requireAdmin(context)
            let userID = try context.parameters.require("id")
            guard let user = try await store.user(id: userID), manages(identity, user) else { throw APIError.notFound("user") }
            let body = try await StrictJSON.decode(AdminBodies.CreateKey.self, from: request)
            // The audit row commits with the key: an audit failure creates no key, rather than a
            // key whose only plaintext copy is lost behind a 500.
            let (record, plaintext) = try await store.createAPIKey(
                userID: user.id, label: body.label ?? "", audit: AuditNote(actor: Self.actor(identity), action: "key.create", detail: ["user": user.id]))
            return try CreatedKey(id: record.id, prefix: record.prefix, label: record.label, userID: user.id, apiKey: plaintext)
                .jsonResponse(status: .created)
        }
        group.get("users/:id/keys") { _, context -> Response in
            let identity = try requireAdmin(context)
            let userID = try context.parameters.require("id")
            guard let user = try await store.user(id: userID), manages(identity, user) else { throw APIError.notFound("user") }
            return try await store.apiKeys(userID: user.id).jsonResponse()
        }
        group.delete("keys/:id") { _, context -> Response in
            let identity = try requireAdmin(context)
            let keyID = try context.parameters.require("id")
            let candidates = try await store.users(tenant: identity.user.isOperator ? nil : identity.tenant)
            var found = false
            for user in candidates where manages(identity, user) {
                if try await store.apiKeys(userID: user.id).contains(where: { $0.id == keyID }) {
                    found = true
                    break
                }
            }
            guard found else { throw APIError.notFound("key") }
            try await store.revokeAPIKey(id: keyID, now: dependencies.now())
            try await audit(identity, "key.revoke", keyID)
            return Response(status: .noContent)
        }

        group.get("pools") { _, context -> Response in
            try requireOperator(context)
            return try await store.pools().jsonResponse()
        }
        group.post("pools") { request, context -> Response in
            let actor = try requireOperator(context)
            let body = try await StrictJSON.decode(AdminBodies.CreatePool.self, from: request)
            let pool = try await store.createPool(name: body.name, displayName: body.displayName ?? body.name)
            try await audit(actor, "pool.create", pool.name)
            return try pool.jsonResponse(status: .created)
        }

        group.get("subscriptions") { _, context -> Response in
            try requireOperator(context)
            return try await store.subscriptions(tenant: nil).jsonResponse()
        }
        group.post("subscriptions") { request, context -> Response in
            let actor = try requireOperator(context)
            let body = try await StrictJSON.decode(AdminBodies.CreateSubscription.self, from: request)
            let subscription = try await store.createSubscription(
                tenant: body.tenant, pool: body.pool, plan: body.plan, tokenQuota: body.tokenQuota, period: body.period ?? "month"
            )
            try await audit(actor, "subscription.create", subscription.id, detail: ["tenant": body.tenant, "pool": body.pool])
            return try subscription.jsonResponse(status: .created)
        }

        group.get("nodes") { _, context -> Response in
            try requireOperator(context)
            return try await store.nodes().map(NodeView.init).jsonResponse()
        }
        group.post("nodes") { request, context -> Response in
            let actor = try requireOperator(context)
            let body = try await StrictJSON.decode(AdminBodies.RegisterNode.self, from: request)
            let gpuClass: String
            if let named = body.gpuClass {
                gpuClass = named
            } else if let derived = GPUClass.derive(modelName: body.gpuModel, memoryMiB: body.gpuMemoryMiB) {
                gpuClass = derived.id
            } else {
                throw APIError.unprocessable(field: "gpuClass", "cannot be derived from gpuModel '\(body.gpuModel)' and \(body.gpuMemoryMiB) MiB; name one of \(GPUClass.known.map(\.id).joined(separator: ", "))")
            }
            let holding: Holding = body.pool.map { .contributed(provider: body.tenant, pool: $0) } ?? .dedicated(tenant: body.tenant)
            let node = try await store.registerNode(NodeRecord(
                name: body.name, host: body.host, dcgmAddress: body.dcgmAddress, dcgmPath: body.dcgmPath ?? "/metrics",
                vllmAddress: body.vllmAddress, vllmPath: body.vllmAddress == nil ? nil : (body.vllmPath ?? "/metrics"),
                gpuModel: body.gpuModel, gpuCount: body.gpuCount, gpuMemoryMiB: body.gpuMemoryMiB, gpuClass: gpuClass,
                holding: holding, createdAt: dependencies.now()
            ))
            try await audit(actor, "node.register", node.name, detail: ["tenant": body.tenant, "pool": body.pool ?? ""])
            return try NodeView(node).jsonResponse(status: .created)
        }
        group.get("nodes/:name/check") { _, context -> Response in
            let identity = try requireAdmin(context)
            let name = try context.parameters.require("name")
            let report = try await dependencies.readModel.connectionCheck(
                identity.caller, node: name, serviceDiscoveryRefresh: dependencies.serviceDiscoveryRefresh)
            try await audit(identity, "node.check", name)
            return try report.jsonResponse()
        }
    }

    // MARK: Authorisation helpers

    @discardableResult
    func requireAdmin(_ context: AppRequestContext) throws -> Identity {
        let identity = try context.requireIdentity()
        guard identity.user.isAdmin else { throw APIError.forbidden("this action needs a tenant admin or site operator") }
        return identity
    }

    @discardableResult
    func requireOperator(_ context: AppRequestContext) throws -> Identity {
        let identity = try context.requireIdentity()
        guard identity.user.isOperator else { throw APIError.forbidden("this action needs a site operator") }
        return identity
    }

    /// Whether `identity` may manage `user`: operators anyone, tenant admins their own tenant.
    func manages(_ identity: Identity, _ user: User) -> Bool {
        identity.user.isOperator || (identity.tenant != nil && user.tenant == identity.tenant)
    }

    func audit(_ identity: Identity, _ action: String, _ target: String, detail: [String: String] = [:]) async throws {
        let data = (try? JSONEncoder().encode(detail)) ?? Data("{}".utf8)
        try await dependencies.store.appendAudit(
            actor: Self.actor(identity), action: action, target: target, detail: String(decoding: data, as: UTF8.self)
        )
    }

    /// How the audit log names who acted.
    static func actor(_ identity: Identity) -> String {
        "\(identity.user.name) (\(identity.user.id))"
    }
}
