import Fleet
import Foundation
import Hummingbird
import LoadTest
import LoadTestService
import NIOCore
import Store
import Factory

/// `/api/v1/factory/loadtests` (docs/FACTORY-API.md "Load tests"): start, list, read and cancel
/// load tests against the OpenAI endpoint registered for a node.
///
/// Who may do what: tenant admins on nodes their tenant holds, site operators on any node;
/// tenant members read their tenant's tests; a node or test of another tenant answers 404 exactly
/// like a missing one. The target address always comes from the inventory (no URL field).
struct LoadTestRoutes {
    let dependencies: ServerDependencies

    /// Most tests a list answers with.
    static let listLimit = 100

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("loadtests") { request, context -> Response in
            let identity = try context.requireIdentity()
            let manager = try manager()
            guard identity.user.isAdmin else { throw APIError.forbidden("only tenant admins and site operators start load tests") }
            let body = try await StrictJSON.decode(LoadTestRequest.self, from: request)
            guard let node = try await dependencies.store.node(named: body.node), identity.caller.sees(node) else {
                throw APIError.notFound("node")
            }
            guard let address = node.vllmAddress else {
                throw APIError.unprocessable(field: "node", "node '\(node.name)' has no vLLM endpoint registered")
            }
            let (configuration, goal) = try body.configuration(base: LoadTestManager.openAIBase(address: address, path: node.vllmPath))
            // The stress acknowledgement is the server's to enforce, not only the page's checkbox.
            guard body.acknowledged == true else {
                throw APIError(.preconditionFailed, code: "acknowledgement_required", message: body.warning)
            }
            let plan = body.normalized()
            guard manager.hasCapacity else { throw manager.busy }
            guard let planText = LoadTestCoding.text(plan) else { throw APIError.internalError() }
            let record: LoadTestRecord
            do {
                record = try await dependencies.store.createLoadTest(tenant: node.holding.tenant, node: node.name,
                                                                     requestedBy: identity.user.id, plan: planText)
            } catch StoreError.duplicate(_, let running) {
                throw APIError.conflict("tenant '\(node.holding.tenant)' already has load test \(running) queued or running; cancel it or wait until it ends")
            }
            // Load tests put real traffic on a node: who started and stopped which is audited, and
            // the row is written before the traffic starts (no unaudited test behind a 500).
            do {
                try await AdminRoutes(dependencies: dependencies).audit(
                    identity, "loadtest.start", record.id, detail: ["node": node.name, "tenant": node.holding.tenant])
            } catch {
                // Never left `queued` (it would block the tenant's next test until a restart).
                _ = try? await dependencies.store.updateLoadTest(id: record.id, LoadTestUpdate(status: .failed, error: "the load test could not be recorded; start it again"))
                throw error
            }
            try await manager.submit(LoadTestJob(id: record.id, configuration: configuration, modelGiven: body.model != nil,
                                                 search: goal, searchLimit: plan.searchLimit ?? LoadTestRequest.defaultSearchLimit))
            return try Self.response(LoadTestView(record), status: .accepted)
        }
        group.get("loadtests") { _, context -> Response in
            let identity = try context.requireIdentity()
            _ = try manager()
            let tenant = try identity.listedTenant()
            let records = try await dependencies.store.loadTests(tenant: tenant, limit: Self.listLimit)
            return try Self.response(LoadTestList(loadTests: records.map(LoadTestView.init)))
        }
        group.get("loadtests/:id") { _, context -> Response in
            let identity = try context.requireIdentity()
            _ = try manager()
            let record = try await visibleTest(context.parameters.require("id"), identity)
            return try Self.response(LoadTestView(record))
        }
        group.post("loadtests/:id/cancel") { _, context -> Response in
            let identity = try context.requireIdentity()
            let manager = try manager()
            let record = try await visibleTest(context.parameters.require("id"), identity)
            guard identity.user.isAdmin else { throw APIError.forbidden("only tenant admins and site operators cancel load tests") }
            guard record.status.isActive else {
                throw APIError.conflict("load test \(record.id) already ended (\(record.status.rawValue))")
            }
            if await !manager.cancel(id: record.id) {
                // Active in the store but not run by this process (another server, or a race with
                // its end): record the cancellation directly.
                _ = try? await dependencies.store.updateLoadTest(id: record.id, LoadTestUpdate(status: .cancelled))
            }
            try await AdminRoutes(dependencies: dependencies).audit(
                identity, "loadtest.cancel", record.id, detail: ["node": record.node, "tenant": record.tenant])
            let current = try await dependencies.store.loadTest(id: record.id) ?? record
            return try Self.response(LoadTestView(current), status: .accepted)
        }
    }

    private func manager() throws -> LoadTestManager {
        guard let manager = dependencies.loadTests else { throw APIError.unavailable("load tests are not enabled") }
        return manager
    }

    /// The test when the caller may see it; 404 otherwise (another tenant's test is not confirmed).
    private func visibleTest(_ id: String, _ identity: Identity) async throws -> LoadTestRecord {
        guard id.count <= 64, let record = try await dependencies.store.loadTest(id: id),
              identity.user.isOperator || record.tenant == identity.tenant else {
            throw APIError.notFound("load test")
        }
        return record
    }

    /// Like `jsonResponse`, but non-finite statistics are written as strings instead of failing.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let text = LoadTestCoding.text(value) else { throw APIError.internalError() }
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
