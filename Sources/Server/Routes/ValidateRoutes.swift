import Factory
import Fleet
import Foundation
import Hummingbird
import Store

/// `/api/v1/factory/validate` (docs/VALIDATE.md): run the "validate observability stack"
/// self-check and read earlier runs.
///
/// Tenant admins check their tenant's nodes, operators the fleet; members are refused (the
/// answers name infrastructure). Read-only towards everything it checks; each run is saved.
struct ValidateRoutes {
    let dependencies: ServerDependencies

    static let listLimit = 20

    /// A saved run as the API answers it: the report plus who ran it and when.
    struct RunView: Encodable, Sendable {
        var id: String
        var requestedBy: String
        /// Who ran it, for people ("site operator" when a tenant reads an operator's run).
        var requestedByName: String?
        var createdAt: Date
        var scope: String
        var tenant: String?
        var nodes: [String]
        var status: String
        var counts: [String: Int]
        var durationMs: Int
        /// Absent in the list.
        var checks: [ValidationCheck]?

        init?(_ record: ValidationRunRecord, withChecks: Bool, requestedByName: String? = nil) {
            self.requestedByName = requestedByName
            guard let report = try? JSONDecoder().decode(ValidationReport.self, from: Data(record.report.utf8)) else { return nil }
            id = record.id
            requestedBy = record.requestedBy
            createdAt = record.createdAt
            scope = report.scope
            tenant = report.tenant
            nodes = report.nodes
            status = report.status.rawValue
            counts = report.counts
            durationMs = report.durationMs
            checks = withChecks ? report.checks : nil
        }
    }

    struct RunList: Encodable, Sendable {
        var runs: [RunView]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("validate") { _, context -> Response in
            let identity = try context.requireIdentity()
            let report = try await dependencies.stackValidator.run(for: identity.caller)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let json = String(decoding: try encoder.encode(report), as: UTF8.self)
            let record = try await dependencies.store.saveValidationRun(
                tenant: report.tenant, requestedBy: identity.user.id, status: report.status == .skip ? "pass" : report.status.rawValue,
                durationMs: report.durationMs, report: json, now: dependencies.now())
            guard let view = RunView(record, withChecks: true, requestedByName: identity.user.name) else {
                throw APIError.unavailable("the run could not be read back")
            }
            return try view.jsonResponse(status: .created)
        }
        group.get("validate/runs") { _, context -> Response in
            let identity = try context.requireIdentity()
            let tenant = try Self.readableTenant(identity)
            let runs = try await dependencies.store.validationRuns(tenant: tenant, limit: Self.listLimit)
            let names = try await dependencies.store.requesterNames(Set(runs.map(\.requestedBy)), for: identity)
            return try RunList(runs: runs.compactMap { RunView($0, withChecks: false, requestedByName: names[$0.requestedBy]) }).jsonResponse()
        }
        group.get("validate/runs/:id") { _, context -> Response in
            let identity = try context.requireIdentity()
            let tenant = try Self.readableTenant(identity)
            let id = try context.parameters.require("id")
            guard let record = try await dependencies.store.validationRun(id: id), tenant == nil || record.tenant == tenant,
                  let view = RunView(record, withChecks: true, requestedByName: try await dependencies.store.requesterNames([record.requestedBy], for: identity)[record.requestedBy]) else {
                throw APIError.notFound("validation run")
            }
            return try view.jsonResponse()
        }
    }

    /// Whose runs the caller reads: every run for an operator (`nil`), its tenant's for a tenant
    /// admin; members are refused like the run itself.
    static func readableTenant(_ identity: Identity) throws -> String? {
        guard identity.user.isAdmin else { throw APIError.forbidden("only tenant admins and site operators validate the stack") }
        return try identity.listedTenant()
    }
}
