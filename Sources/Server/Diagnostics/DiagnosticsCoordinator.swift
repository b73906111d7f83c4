import Diagnostics
import Fleet
import Foundation
import Logging
import Store

/// The server's side of a diagnostic run once it is queued: ending it (parsing the output into a
/// report), ending the runs no agent drives any more, and putting failures on the node's event
/// timeline. Routes (user and agent) call it; it holds no state but the shared wake-up signal.
struct DiagnosticsCoordinator: Sendable {
    let store: any Store
    let signal: DiagnosticsSignal
    let limits: DiagnosticSweepLimits
    let now: @Sendable () -> Date
    var logger = Logger(label: "aifactory.diagnostics")

    /// Ends the runs no agent drives (see `DiagnosticSweepLimits`) and records their events.
    /// Called before every read and poll, so what a caller sees is never a run stuck in `running`.
    func sweep() async throws {
        let ended = try await store.sweepDiagnosticRuns(now: now(), limits: limits)
        for run in ended { await recordEvent(run) }
    }

    /// Ends `run` as its agent reports: parses the output unless the agent already knows why it
    /// ended (cancelled, timed out, the tool missing).
    func finish(
        _ run: DiagnosticRunRecord, node: NodeRecord?, exitStatus: Int?, state: DiagnosticRunState?, reason: String?,
        drain: DrainRecord? = nil
    ) async throws -> DiagnosticRunRecord {
        var end = DiagnosticRunEnd(state: state ?? .failed, exitStatus: exitStatus, reason: reason.map(Self.storable).flatMap { $0.isEmpty ? nil : $0 })
        // A run the agent ended before the tool printed anything (missing tool, MIG) has nothing to
        // parse: a report would only say "exited 127 (no output)" beside the agent's clear reason.
        let nothingToParse = state != nil && run.output.isEmpty
        if !nothingToParse, let kind = DiagnosticKind(rawValue: run.kind), let plan = try? DiagnosticPlan(kind: kind, level: run.level) {
            // Cancelled and timed-out runs are parsed too: what finished before the stop is kept.
            let report = DiagnosticParser.parse(
                plan: plan, output: run.output, exitStatus: Int32(clamping: exitStatus ?? -1),
                gpuClass: node?.gpuClass, interconnect: nil)
            // An agent-ended run (cancelled, timed out, stopped) whose output no parser reads keeps
            // only its reason: "did not exit (…) → rerun" would contradict it.
            if state == nil || report.format != .unparsed { end.report = Self.json(report) }
            if state == nil {
                end.state = report.outcome == .passed ? .passed : .failed
                if end.state == .failed, end.reason == nil { end.reason = Self.storable(report.summary) }
            }
        }
        if var drain {
            // The agent's words, kept storable like a reason.
            drain.hook = String(Self.storable(drain.hook).prefix(500))
            drain.problems = drain.problems.prefix(20).map { String(Self.storable($0).prefix(600)) }
            drain.drainedAt = drain.drainedAt.map { String($0.prefix(40)) }
            drain.restoredAt = drain.restoredAt.map { String($0.prefix(40)) }
            drain.method = String(drain.method.prefix(40))
            end.drain = Self.json(drain)
        }
        let finished = try await store.finishDiagnosticRun(id: run.id, node: run.node, end, now: now())
        await recordEvent(finished)
        return finished
    }

    /// A failed or timed-out run becomes an event on the node's timeline beside XID/ECC events.
    func recordEvent(_ run: DiagnosticRunRecord) async {
        guard run.state == .failed || run.state == .timedOut else { return }
        let what = run.kind == "dcgm" ? "dcgmi diag r\(run.level)" : "NCCL all_reduce test"
        let why = run.reason ?? run.state.rawValue
        let occurrence = EventOccurrence(
            node: run.node, kind: .diagnosticFailed, meaning: String(Self.storable("\(what) \(run.state == .timedOut ? "timed out" : "failed"): \(why)").prefix(500)),
            severity: .degraded, time: run.finishedAt ?? now())
        do {
            _ = try await store.recordEvent(occurrence)
        } catch {
            logger.error("diagnostic run \(run.id): the event could not be recorded: \(error)")
        }
    }

    /// A reason the store accepts whatever the tool printed: control characters (tabs, ANSI
    /// colour codes) become spaces and it is cut at 2,000 bytes on a character boundary. A
    /// refused reason would fail the agent's `finish` and lose the report.
    static func storable(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var bytes = 0
        for scalar in text.unicodeScalars {
            let kept: Unicode.Scalar = scalar.properties.generalCategory == .control ? " " : scalar
            bytes += String(kept).utf8.count
            if bytes > 1_990 {
                scalars.append("…")
                break
            }
            scalars.append(kept)
        }
        return String(scalars).trimmingCharacters(in: .whitespaces)
    }

    static func json(_ report: some Encodable) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) }
    }
}
