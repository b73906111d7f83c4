import Fleet
import Foundation
import Hummingbird
import Store

/// The admin API's removals (docs/ROLES.md "Removing things"): the registration goes, the history
/// stays. Each removal is refused with 409 and the reason while something still depends on it
/// (a node's active run, a tenant's nodes and subscriptions, a pool's contributors), and each is
/// audited with what it belonged to.
struct AdminRemovalRoutes {
    let dependencies: ServerDependencies

    func register(on group: RouterGroup<AppRequestContext>) {
        let store = dependencies.store
        let admin = AdminRoutes(dependencies: dependencies)

        group.delete("nodes/:name") { _, context -> Response in
            let actor = try admin.requireOperator(context)
            let name = try context.parameters.require("name")
            let node = try await store.node(named: name)
            try await store.removeNode(name: name)
            try await admin.audit(actor, "node.remove", name, detail: ["tenant": node?.holding.tenant ?? "", "pool": node?.holding.pool ?? ""])
            return Response(status: .noContent)
        }
        group.delete("subscriptions/:id") { _, context -> Response in
            let actor = try admin.requireOperator(context)
            let id = try context.parameters.require("id")
            let subscription = try await store.subscriptions(tenant: nil).first { $0.id == id }
            try await store.removeSubscription(id: id)
            try await admin.audit(actor, "subscription.remove", id, detail: ["tenant": subscription?.tenant ?? "", "pool": subscription?.pool ?? ""])
            return Response(status: .noContent)
        }
        group.delete("tenants/:name") { _, context -> Response in
            let actor = try admin.requireOperator(context)
            let name = try context.parameters.require("name")
            let users = try await store.users(tenant: name).filter { $0.tenant == name }
            try await store.removeTenant(name: name)
            try await admin.audit(actor, "tenant.remove", name, detail: ["users": String(users.count)])
            return Response(status: .noContent)
        }
        group.delete("pools/:name") { _, context -> Response in
            let actor = try admin.requireOperator(context)
            let name = try context.parameters.require("name")
            try await store.removePool(name: name)
            try await admin.audit(actor, "pool.remove", name)
            return Response(status: .noContent)
        }
        group.delete("users/:id") { _, context -> Response in
            let identity = try admin.requireAdmin(context)
            let id = try context.parameters.require("id")
            // Another tenant's user answers 404 like a missing one, as everywhere in the admin API.
            guard let user = try await store.user(id: id), admin.manages(identity, user) else { throw APIError.notFound("user") }
            guard user.id != identity.user.id else {
                throw APIError.conflict("you cannot remove yourself; ask another administrator")
            }
            if user.isOperator, try await store.users(tenant: nil).filter(\.isOperator).count <= 1 {
                throw APIError.conflict("'\(user.name)' is the last site operator; create another operator first")
            }
            try await store.removeUser(id: id)
            try await admin.audit(identity, "user.remove", id, detail: ["name": user.name, "tenant": user.tenant ?? ""])
            return Response(status: .noContent)
        }

        group.get("audit") { request, context -> Response in
            try admin.requireOperator(context)
            let query = request.uri.queryParameters
            let limit = try Self.integer(query.get("limit"), name: "limit", range: 1...1000) ?? 100
            func text(_ name: String) -> String? {
                query.get(name).flatMap { $0.isEmpty ? nil : $0 }
            }
            let filter = AuditFilter(
                actor: text("actor"), action: text("action"), target: text("target"),
                since: try Self.time(text("since"), name: "since"), until: try Self.time(text("until"), name: "until"),
                beforeID: try Self.integer(query.get("before"), name: "before", range: 1...Int.max).map(Int64.init))
            do {
                return try await store.auditLog(filter, limit: limit).jsonResponse()
            } catch StoreError.invalid(let field, let reason) {
                // A filter the store refuses (control characters, too long, since after until)
                // is a bad query parameter like the others: 400 naming it.
                throw APIError.badRequest("\(field): \(reason)")
            }
        }
    }

    /// An optional whole number in `range`; anything else is a 400 naming the parameter.
    static func integer(_ text: String?, name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badRequest("\(name) must be a whole number between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    /// An optional RFC 3339 time; anything else is a 400 naming the parameter.
    static func time(_ text: String?, name: String) throws -> Date? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        throw APIError.badRequest("\(name) must be an RFC 3339 time such as 2026-12-05T10:00:00Z")
    }
}
