import Diagnostics
import Foundation
import Hummingbird
import Store

/// The agent's half of a diagnostic run (docs/DIAGNOSTICS.md "Running diagnostics"), all with the
/// node credential, all started by the agent (so it works behind NAT: no inbound connection):
/// - `GET  /api/v1/agent/diagnostics/next?wait=S`: a long poll; the node's next queued run, now
///   running (200), or 204 after `wait` seconds (at most the server's `diagnosticPollMax`);
/// - `POST /api/v1/agent/diagnostics/{id}/output {"output": "…"}`: appends streamed output and
///   answers `{"cancel": true}` when someone asked to stop it;
/// - `POST /api/v1/agent/diagnostics/{id}/finish {"exitStatus", "state", "reason"}`: ends it; the
///   server parses the output into the report.
/// A run of another node answers 404; a run that already ended answers 409 (the agent stops the tool).
struct AgentDiagnosticsRoutes {
    let agent: AgentRoutes
    var dependencies: ServerDependencies { agent.dependencies }

    struct Job: Encodable, Sendable {
        var id: String
        var kind: String
        var level: Int
        var timeoutSeconds: Int
        var gpus: Int
        var drain: Bool
    }

    struct Output: StrictBody {
        static let fields: Set<String> = ["output"]
        var output: String
    }

    struct OutputAnswer: Encodable, Sendable {
        var cancel: Bool
    }

    struct Finish: StrictBody {
        static let fields: Set<String> = ["exitStatus", "state", "reason", "output", "drain"]
        /// The tool's exit status; absent when it never ran (missing tool) or was killed.
        var exitStatus: Int?
        /// `cancelled`, `timed-out` or `failed` when the agent ended it; absent: judged from the output.
        var state: String?
        var reason: String?
        /// The last piece of output, sent with the end instead of a separate call.
        var output: String?
        /// What the agent drained and for how long, for a run asked for with `drain`.
        var drain: DrainRecord?
    }

    func register(on agentGroup: RouterGroup<AppRequestContext>) {
        agentGroup.get("diagnostics/next") { request, context -> Response in
            let node = try await agent.authenticatedNode(request, context: context)
            let requested = request.uri.queryParameters["wait"].map(String.init) ?? "0"
            guard let seconds = Int(requested), (0...3600).contains(seconds) else {
                throw APIError.unprocessable(field: "wait", "must be a whole number of seconds between 0 and 3600, not '\(requested)'")
            }
            let wait = min(Duration.seconds(seconds), dependencies.diagnosticPollMax)
            let coordinator = dependencies.diagnosticsCoordinator
            let deadline = ContinuousClock.now + wait
            while true {
                try await coordinator.sweep()
                if let run = try await dependencies.store.claimDiagnosticRun(node: node, now: dependencies.now()) {
                    return try Job(id: run.id, kind: run.kind, level: run.level, timeoutSeconds: run.timeoutSeconds, gpus: run.gpus, drain: run.drainRequested)
                        .jsonResponse()
                }
                let left = deadline - ContinuousClock.now
                guard left > .zero, !Task.isCancelled else { return Response(status: .noContent) }
                // Woken when a run is queued here; re-read at least every 2 s (another replica).
                await dependencies.diagnosticsSignal.wait(node: node, timeout: min(left, .seconds(2)))
            }
        }
        agentGroup.post("diagnostics/:id/output") { request, context -> Response in
            let node = try await agent.authenticatedNode(request, context: context)
            let id = try context.parameters.require("id")
            let body = try await StrictJSON.decode(Output.self, from: request)
            let run = try await ownRun(id, node: node)
            let updated = try await dependencies.store.appendDiagnosticOutput(id: run.id, node: node, output: body.output, now: dependencies.now())
            return try OutputAnswer(cancel: updated.cancelRequested).jsonResponse()
        }
        agentGroup.post("diagnostics/:id/finish") { request, context -> Response in
            let node = try await agent.authenticatedNode(request, context: context)
            let id = try context.parameters.require("id")
            let body = try await StrictJSON.decode(Finish.self, from: request)
            var state: DiagnosticRunState?
            if let text = body.state {
                guard let given = DiagnosticRunState(rawValue: text), [.cancelled, .timedOut, .failed].contains(given) else {
                    throw APIError.unprocessable(field: "state", "must be 'cancelled', 'timed-out' or 'failed' (or absent), not '\(text)'")
                }
                state = given
            }
            var run = try await ownRun(id, node: node)
            if let output = body.output, !output.isEmpty {
                run = try await dependencies.store.appendDiagnosticOutput(id: run.id, node: node, output: output, now: dependencies.now())
            }
            let record = try await dependencies.store.node(named: node)
            let finished = try await dependencies.diagnosticsCoordinator.finish(
                run, node: record, exitStatus: body.exitStatus, state: state, reason: body.reason, drain: body.drain)
            return try DiagnosticRunView(finished, withOutput: false).jsonResponse()
        }
    }

    /// The active run `id` of `node`: 404 for another node's (or no) run, 409 when it ended.
    private func ownRun(_ id: String, node: String) async throws -> DiagnosticRunRecord {
        guard id.utf8.count <= 64, let run = try await dependencies.store.diagnosticRun(id: id), run.node == node else {
            throw APIError.notFound("diagnostic run")
        }
        guard run.state == .running else {
            throw APIError.conflict("diagnostic run \(run.id) is \(run.state.rawValue): stop the tool")
        }
        return run
    }
}
