import Diagnostics
import Foundation
import Store

/// A diagnostic run as the API answers it (docs/FACTORY-API.md "Diagnostics").
///
/// The list leaves the output out (`output: nil`, `outputBytes` says how much there is); one run
/// carries it whole, so the page can show live progress and the raw text beside the parsed report.
struct DiagnosticRunView: Encodable, Sendable {
    var id: String
    var node: String
    var tenant: String
    var kind: String
    var level: Int?
    var state: String
    var requestedBy: String
    /// Who asked, for people: the user's name; "site operator" when a tenant reads an operator's run.
    var requestedByName: String?
    var acknowledged: Bool
    var timeoutSeconds: Int
    var cancelRequested: Bool
    var createdAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    var exitStatus: Int?
    var reason: String?
    var report: DiagnosticReport?
    var outputBytes: Int
    var outputTruncated: Bool
    var output: String?
    /// The node was to be taken out of traffic first; `drain` says what happened.
    var drainRequested: Bool
    var drain: DrainRecord?

    init(_ run: DiagnosticRunRecord, withOutput: Bool, requestedByName: String? = nil) {
        self.requestedByName = requestedByName
        id = run.id
        node = run.node
        tenant = run.tenant
        kind = run.kind
        level = run.kind == DiagnosticKind.dcgm.rawValue ? run.level : nil
        state = run.state.rawValue
        requestedBy = run.requestedBy
        acknowledged = run.acknowledged
        timeoutSeconds = run.timeoutSeconds
        cancelRequested = run.cancelRequested
        createdAt = run.createdAt
        startedAt = run.startedAt
        finishedAt = run.finishedAt
        exitStatus = run.exitStatus
        reason = run.reason
        report = run.report.flatMap { try? JSONDecoder().decode(DiagnosticReport.self, from: Data($0.utf8)) }
        outputBytes = run.output.utf8.count
        outputTruncated = run.outputTruncated
        output = withOutput ? run.output : nil
        drainRequested = run.drainRequested
        drain = run.drain.flatMap { try? JSONDecoder().decode(DrainRecord.self, from: Data($0.utf8)) }
    }
}

struct DiagnosticRunList: Encodable, Sendable {
    var runs: [DiagnosticRunView]
}
