import AsyncHTTPClient
import Diagnostics
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Safe diagnostics on a serving card (docs/DIAGNOSTICS.md): before the tool runs, the agent's
/// drain hook takes the node out of routing, the agent waits until the local vLLM has no request
/// running or waiting, and after the run (whatever its end) the hook gives the node back.
///
/// The hook is a site's own executable, called `HOOK drain NODE` and `HOOK restore NODE` with
/// `AIFACTORY_NODE`, `AIFACTORY_RUN` and `AIFACTORY_ACTION` set; exit 0 means done. That is the
/// seam to whatever routes traffic here (a load balancer's admin API, a Kubernetes label, the
/// inference gateway once it exists): the agent cannot know it, so it asks.
extension DiagnosticsWorker {
    /// The node is out of traffic; `restore()` puts it back and completes the record.
    struct DrainSession: Sendable {
        let hook: String
        let node: String
        let runID: String
        let credential: AgentCredential
        let client: HTTPClient
        let logger: Logger
        let drainedClock: ContinuousClock.Instant
        /// Tells the server the agent is alive while a hook runs (its sweep fails silent runs).
        let keepAlive: @Sendable () async -> Void
        var record: DrainRecord

        mutating func restore() async {
            let outcome = await DiagnosticsWorker.perform(
                hook, action: "restore", node: node, runID: runID, credential: credential, client: client, keepAlive: keepAlive)
            if outcome.ok {
                record.restoredAt = DiagnosticsWorker.timestamp()
                logger.info("diagnostics: run \(runID): \(node) restored to routing")
            } else {
                record.problems.append("restore hook failed (\(outcome.detail)): \(node) may still be out of routing; put it back by hand")
                logger.error("diagnostics: run \(runID): restore hook failed: \(outcome.detail)")
            }
            let seconds = (ContinuousClock.now - drainedClock).seconds
            record.drainedSeconds = (seconds * 10).rounded() / 10
        }
    }

    enum DrainStart: Sendable {
        case drained(DrainSession)
        /// The run ends without the tool: this is its end.
        case notRun(Finish)
    }

    /// Longest a hook may take before it is stopped and counted as failed.
    static let hookLimit = Duration.seconds(60)

    func beginDrain(_ job: Job, _ credential: AgentCredential) async -> DrainStart {
        let node = credential.node
        guard let configured = configuration.drainHook else {
            return .notRun(Finish(state: "failed", reason:
                "the run asked to drain \(node) first, but its agent has no drain hook: start `aifactory agent` with --drain-hook PATH (docs/DIAGNOSTICS.md), or run without draining"))
        }
        let hook: String
        if configured == Self.gatewayDrain {
            hook = configured
        } else if let resolved = ToolProcess.resolve(configured) {
            hook = resolved
        } else {
            return .notRun(Finish(state: "failed", reason: "the drain hook \(configured) is not an executable on \(node): nothing was drained and the diagnostic did not run"))
        }
        var record = DrainRecord(method: hook == Self.gatewayDrain ? "gateway" : "hook", hook: hook)
        await progress(job, credential, "draining \(node): \(hook) drain \(node)")
        let keepAlive: @Sendable () async -> Void = {
            var nothing = Data()
            _ = await self.send(job, credential, &nothing)
        }
        let drained = await Self.perform(
            hook, action: "drain", node: node, runID: job.id, credential: credential, client: client, keepAlive: keepAlive)
        var session = DrainSession(
            hook: hook, node: node, runID: job.id, credential: credential, client: client, logger: configuration.logger,
            drainedClock: .now, keepAlive: keepAlive, record: record)
        guard drained.ok else {
            record.problems.append("drain hook failed (\(drained.detail))")
            session.record = record
            // It may have half-done its work: give the node back either way.
            await session.restore()
            var body = Finish(state: "failed", reason: "the drain hook failed on \(node) (\(drained.detail)): the diagnostic did not run")
            body.drain = session.record
            return .notRun(body)
        }
        session.record.drainedAt = Self.timestamp()
        guard let url = configuration.vllmMetricsURL else {
            session.record.problems.append("no --vllm-metrics: in-flight requests were not awaited (the hook is trusted to have waited)")
            return .drained(session)
        }
        // Wait for what vLLM is still running or queueing; keep in touch with the server meanwhile.
        let waitStart = ContinuousClock.now
        let deadline = waitStart + configuration.drainWait
        var left = await inFlight(url)
        session.record.inFlightAtDrain = left
        await progress(job, credential, "drained \(node); requests in flight: \(left.map(String.init) ?? "unknown")")
        var stop: Finish?
        while stop == nil, left != 0 {
            if left == nil {
                stop = Finish(state: "failed", reason: "could not read vLLM's in-flight requests at \(url) after draining \(node): not run, node restored")
                break
            }
            if ContinuousClock.now > deadline {
                stop = Finish(state: "failed", reason:
                    "\(left ?? 0) request(s) still in flight on \(node) after \(Int(configuration.drainWait.seconds)) s of drain: not run, node restored")
                break
            }
            if Task.isCancelled {
                stop = Finish(state: "failed", reason: "the agent on \(node) stopped while draining")
                break
            }
            var nothing = Data()
            switch await send(job, credential, &nothing) {
            case .cancel, .gone: stop = Finish(state: "cancelled", reason: "cancelled on request while draining")
            case .carryOn: break
            }
            await ToolProcess.pause(milliseconds: 1000)
            left = await inFlight(url)
        }
        session.record.waitedSeconds = ((ContinuousClock.now - waitStart).seconds * 10).rounded() / 10
        if var body = stop {
            if let reason = body.reason, body.state == "failed" { session.record.problems.append(reason) }
            await session.restore()
            body.drain = session.record
            return .notRun(body)
        }
        await progress(job, credential, "no requests in flight on \(node) after \(session.record.waitedSeconds ?? 0) s: running")
        return .drained(session)
    }

    /// A line in the run's output, so the page's live view shows the drain; worded so no parser
    /// mistakes it for the tool's (no braces, no table bars, no failure words).
    private func progress(_ job: Job, _ credential: AgentCredential, _ line: String) async {
        var data = Data("# aifactory: \(line)\n".utf8)
        _ = await send(job, credential, &data)
    }

    /// `--drain-hook gateway`: no site script; the agent asks its server to take the node out of
    /// the inference gateway's routing (`POST /api/v1/agent/drain`, the store's drain that every
    /// gateway replica reads within a second; docs/GATEWAY.md "Draining").
    static let gatewayDrain = "gateway"

    /// Drains or restores through the hook, or through the server for `gatewayDrain`.
    static func perform(
        _ hook: String, action: String, node: String, runID: String, credential: AgentCredential, client: HTTPClient,
        keepAlive: @Sendable () async -> Void
    ) async -> (ok: Bool, detail: String) {
        guard hook == gatewayDrain else { return await runHook(hook, action: action, node: node, runID: runID, keepAlive: keepAlive) }
        struct Body: Encodable { var action: String; var reason: String }
        do {
            let answer = try await ServerCall.send(
                .POST, "/api/v1/agent/drain", credential: credential,
                json: Body(action: action, reason: "diagnostic run \(runID)"), client: client)
            guard answer.status == .ok else { return (false, "the server refused the \(action) (\(answer.status.code)): \(answer.message)") }
            // A second's grace: every gateway replica reads the drain within one (DrainCache).
            if action == "drain" { await ToolProcess.pause(milliseconds: 1100) }
            return (true, "the gateway's routing \(action == "drain" ? "leaves \(node) out" : "takes \(node) again")")
        } catch {
            return (false, "\(error)")
        }
    }

    /// Runs the hook; `ok` when it exited 0 within `hookLimit`.
    static func runHook(
        _ hook: String, action: String, node: String, runID: String, keepAlive: @Sendable () async -> Void
    ) async -> (ok: Bool, detail: String) {
        do {
            let process = try ToolProcess(
                executable: hook, arguments: [action, node],
                environment: ["AIFACTORY_NODE": node, "AIFACTORY_RUN": runID, "AIFACTORY_ACTION": action])
            let deadline = ContinuousClock.now + hookLimit
            while ContinuousClock.now < deadline {
                if await process.ended(within: .seconds(1)) != nil { break }
                await keepAlive()
            }
            let (ending, stopped) = await process.wait(atMost: .zero)
            await ToolProcess.pause(milliseconds: 50)
            let said = String(decoding: process.take(), as: UTF8.self)
                .split(whereSeparator: \.isNewline).last.map { String($0.prefix(300)) } ?? ""
            if stopped { return (false, "\(action) took longer than \(Int(hookLimit.seconds)) s") }
            if ending == .exited(0) { return (true, said) }
            return (false, "\(action) exited \(ending.status)" + (said.isEmpty ? "" : ": \(said)"))
        } catch {
            return (false, "\(hook) could not be started: \(error.localizedDescription)")
        }
    }

    /// `vllm:num_requests_running` + `vllm:num_requests_waiting` summed over every model the
    /// endpoint serves; `nil` when it cannot be read.
    func inFlight(_ url: String) async -> Int? {
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
            guard response.status.code == 200 else { return nil }
            let body = try await response.body.collect(upTo: 16 << 20)
            return Self.inFlight(exposition: String(buffer: body))
        } catch {
            return nil
        }
    }

    static func inFlight(exposition text: String) -> Int? {
        var total = 0.0
        var seen = false
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            for name in ["vllm:num_requests_running", "vllm:num_requests_waiting"] where line.hasPrefix(name) {
                let after = line.dropFirst(name.count)
                guard after.first == "{" || after.first == " " else { continue }
                let fields = line.split(separator: " ")
                // `name{labels} value [timestamp]`: the value follows the closing brace.
                let valueField = line.contains("}") ? line[line.index(after: line.lastIndex(of: "}")!)...].split(separator: " ").first : fields.dropFirst().first
                if let valueField, let value = Double(valueField) {
                    total += value
                    seen = true
                }
            }
        }
        return seen ? Int(total.rounded()) : nil
    }

    static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}

extension Duration {
    /// Seconds as a `Double` (for records and messages).
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
