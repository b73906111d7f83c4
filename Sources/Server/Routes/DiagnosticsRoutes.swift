import Diagnostics
import Factory
import Fleet
import Foundation
import Hummingbird
import Store

/// `/api/v1/factory/diagnostics` (docs/FACTORY-API.md "Diagnostics"): ask the node's agent to run
/// `dcgmi diag` or an NCCL test, follow it, cancel it.
///
/// Who may do what: tenant admins on nodes their tenant holds, site operators on any node; members
/// read their tenant's runs; another tenant's node or run answers 404 exactly like a missing one.
/// The acknowledgement gate is here, not only in the page: a stressful run (dcgm level ≥ 2, every
/// NCCL run) without `acknowledged: true` answers 412 with the warning the page quotes.
struct DiagnosticsRoutes {
    let dependencies: ServerDependencies

    static let listLimit = 100

    struct Start: StrictBody {
        static let fields: Set<String> = ["node", "kind", "level", "acknowledged", "drain"]
        var node: String
        var kind: String
        var level: Int?
        var acknowledged: Bool?
        /// Take the node out of traffic first (docs/DIAGNOSTICS.md "Safe diagnostics on a serving card").
        var drain: Bool?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("diagnostics") { request, context -> Response in
            let identity = try context.requireIdentity()
            let body = try await StrictJSON.decode(Start.self, from: request)
            guard let kind = DiagnosticKind(rawValue: body.kind) else {
                throw APIError.unprocessable(field: "kind", "must be one of \(DiagnosticKind.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")), not '\(body.kind)'")
            }
            let plan: DiagnosticPlan
            do {
                plan = try DiagnosticPlan(kind: kind, level: kind == .dcgm ? (body.level ?? 1) : (body.level ?? 0))
            } catch let error as DiagnosticPlanError {
                throw APIError.unprocessable(field: "level", error.description)
            }
            guard let node = try await dependencies.store.node(named: body.node), identity.caller.sees(node) else {
                throw APIError.notFound("node")
            }
            guard identity.user.isAdmin else { throw APIError.forbidden("only tenant admins and site operators run diagnostics") }
            guard let agent = node.agent else {
                throw APIError.unprocessable(field: "node", "node '\(node.name)' has no enrolled agent: diagnostics run through `aifactory agent` (docs/AGENT.md)")
            }
            if !agent.migGPUs.isEmpty {
                throw APIError.unprocessable(field: "node", """
                    MIG is enabled on GPU \(agent.migGPUs.map(String.init).joined(separator: ", ")) of node '\(node.name)': \
                    dcgmi diag and NCCL tests need whole GPUs; disable MIG (nvidia-smi -mig 0) or run them outside AI Factory
                    """)
            }
            if plan.needsAcknowledgement, body.acknowledged != true {
                throw APIError(.preconditionFailed, code: "acknowledgement_required", message: plan.warning)
            }
            let coordinator = dependencies.diagnosticsCoordinator
            try await coordinator.sweep()
            let run: DiagnosticRunRecord
            do {
                run = try await dependencies.store.createDiagnosticRun(
                    tenant: node.holding.tenant, node: node.name, kind: kind.rawValue, level: plan.level,
                    requestedBy: identity.user.id, acknowledged: body.acknowledged == true,
                    timeoutSeconds: Int(plan.timeout.components.seconds), gpus: max(1, node.gpuCount), drain: body.drain == true,
                    audit: AuditNote(actor: AdminRoutes.actor(identity), action: "diagnostics.start"), now: dependencies.now())
            } catch StoreError.duplicate(_, let active) {
                throw APIError.conflict("node '\(node.name)' already has diagnostic run \(active) queued or running; cancel it or wait until it ends")
            }
            await dependencies.diagnosticsSignal.signal(node: node.name)
            return try DiagnosticRunView(run, withOutput: true, requestedByName: identity.user.name).jsonResponse(status: .accepted)
        }
        group.get("diagnostics") { request, context -> Response in
            let identity = try context.requireIdentity()
            let tenant = try identity.listedTenant()
            let node = request.uri.queryParameters["node"].map(String.init)
            if let node, node.utf8.count > 64 { throw APIError.unprocessable(field: "node", "longer than 64 characters") }
            try await dependencies.diagnosticsCoordinator.sweep()
            let runs = try await dependencies.store.diagnosticRuns(tenant: tenant, node: node, limit: Self.listLimit)
            let names = try await dependencies.store.requesterNames(Set(runs.map(\.requestedBy)), for: identity)
            return try DiagnosticRunList(runs: runs.map { DiagnosticRunView($0, withOutput: false, requestedByName: names[$0.requestedBy]) })
                .jsonResponse()
        }
        group.get("diagnostics/:id") { _, context -> Response in
            let identity = try context.requireIdentity()
            try await dependencies.diagnosticsCoordinator.sweep()
            let run = try await visibleRun(context.parameters.require("id"), identity)
            let names = try await dependencies.store.requesterNames([run.requestedBy], for: identity)
            return try DiagnosticRunView(run, withOutput: true, requestedByName: names[run.requestedBy]).jsonResponse()
        }
        group.post("diagnostics/:id/cancel") { _, context -> Response in
            let identity = try context.requireIdentity()
            try await dependencies.diagnosticsCoordinator.sweep()
            let run = try await visibleRun(context.parameters.require("id"), identity)
            guard identity.user.isAdmin else { throw APIError.forbidden("only tenant admins and site operators cancel diagnostics") }
            guard run.state.isActive else {
                throw APIError.conflict("diagnostic run \(run.id) already ended (\(run.state.rawValue))")
            }
            let updated: DiagnosticRunRecord
            do {
                updated = try await dependencies.store.requestDiagnosticCancel(id: run.id, now: dependencies.now())
            } catch StoreError.invalid(field: "state", _) {
                // It ended between the read and the cancel.
                throw APIError.conflict("diagnostic run \(run.id) already ended")
            }
            try await AdminRoutes(dependencies: dependencies).audit(
                identity, "diagnostics.cancel", run.id, detail: ["node": run.node, "tenant": run.tenant, "state": updated.state.rawValue])
            return try DiagnosticRunView(updated, withOutput: true).jsonResponse(status: .accepted)
        }
    }

    /// The run when the caller may see it; 404 otherwise (another tenant's run is not confirmed).
    private func visibleRun(_ id: String, _ identity: Identity) async throws -> DiagnosticRunRecord {
        guard id.utf8.count <= 64, let run = try await dependencies.store.diagnosticRun(id: id),
              identity.user.isOperator || run.tenant == identity.tenant else {
            throw APIError.notFound("diagnostic run")
        }
        return run
    }
}
