public import AsyncHTTPClient
import Diagnostics
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
public import ServiceLifecycle

/// Runs the diagnostics the server queues for this node (docs/DIAGNOSTICS.md "Running diagnostics").
///
/// Pulls with a long poll over the node credential (works behind NAT: nothing connects to the
/// agent), runs `dcgmi diag -r N -j` or `all_reduce_perf` as a child process, streams its output
/// back every second, stops it on a cancel or at its timeout, and reports the end. The server
/// parses the output: the agent ships bytes, so a new DCGM format needs no agent upgrade.
public final class DiagnosticsWorker: Service, Sendable {
    let configuration: AgentConfiguration
    let client: HTTPClient
    private let credentials: AsyncStream<AgentCredential>
    private let credentialContinuation: AsyncStream<AgentCredential>.Continuation
    /// The GPUs with MIG on, from the collector's identities.
    private let migGPUs: @Sendable () -> [Int]
    /// How often output is sent (and a cancel noticed) while a tool runs.
    let flushEvery: Duration

    public init(
        configuration: AgentConfiguration, migGPUs: @escaping @Sendable () -> [Int] = { [] },
        client: HTTPClient = .shared, flushEvery: Duration = .seconds(1)
    ) {
        self.configuration = configuration
        self.migGPUs = migGPUs
        self.client = client
        self.flushEvery = flushEvery
        (credentials, credentialContinuation) = AsyncStream.makeStream(of: AgentCredential.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Hands over the node credential once enrolled (`HeartbeatService`'s `onEnrolled`).
    public func enrolled(_ credential: AgentCredential) {
        credentialContinuation.yield(credential)
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                var iterator = self.credentials.makeAsyncIterator()
                guard let credential = await iterator.next() else { return }
                try await self.pollUntilCancelled(credential)
            }
        } catch is CancellationError {
            // The agent is stopping.
        }
    }

    struct Job: Decodable, Sendable {
        var id: String
        var kind: String
        var level: Int
        var timeoutSeconds: Int
        var gpus: Int
        /// Take the node out of traffic first (absent from servers before drains existed).
        var drain: Bool?
    }

    private func pollUntilCancelled(_ credential: AgentCredential) async throws {
        var backoff = Duration.seconds(1)
        while !Task.isCancelled {
            do {
                let answer = try await ServerCall.send(
                    .GET, "/api/v1/agent/diagnostics/next?wait=20", credential: credential, timeout: .seconds(40), client: client)
                backoff = .seconds(1)
                switch answer.status.code {
                case 200:
                    guard let job = try? JSONDecoder().decode(Job.self, from: answer.body) else {
                        configuration.logger.error("diagnostics: the server's job was not understood")
                        try await Task.sleep(for: .seconds(5))
                        continue
                    }
                    try await execute(job, credential: credential)
                case 204:
                    continue
                default:
                    configuration.logger.error("diagnostics: the server refused the job poll (\(answer.status.code)): \(answer.message)")
                    try await Task.sleep(for: .seconds(10))
                }
            } catch let error as AgentError {
                // A poll cut short by the agent stopping is not a failure to report.
                if Task.isCancelled { return }
                configuration.logger.warning("diagnostics: \(error.description); retrying in \(backoff)")
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(30))
            }
        }
    }

    private struct Chunk: Encodable { var output: String }
    private struct ChunkAnswer: Decodable { var cancel: Bool }
    struct Finish: Encodable {
        var exitStatus: Int?
        var state: String?
        var reason: String?
        var output: String?
        var drain: DrainRecord?
    }

    /// Runs one job to its end and reports it. Never throws for the tool's own failures: those are
    /// the run's result. Throws only `CancellationError` when the agent stops (after reporting).
    func execute(_ job: Job, credential: AgentCredential) async throws {
        var drain: DrainSession?
        if job.drain == true {
            switch await beginDrain(job, credential) {
            case .drained(let session):
                drain = session
            case .notRun(let body):
                await finish(job, credential, body)
                if Task.isCancelled { throw CancellationError() }
                return
            }
        }
        var body = await runTool(job, credential: credential)
        if let session = drain {
            // Given back to routing whatever happened to the run, even when the agent is stopping
            // (a task of its own is not cancelled with this one).
            body.drain = await Task {
                var restoring = session
                await restoring.restore()
                return restoring.record
            }.value
        }
        await finish(job, credential, body)
        if Task.isCancelled { throw CancellationError() }
    }

    /// Runs the job's tool to its end (or stop) while streaming its output; the run's end.
    private func runTool(_ job: Job, credential: AgentCredential) async -> Finish {
        let tools = configuration.diagnosticTools
        let node = credential.node
        guard let kind = DiagnosticKind(rawValue: job.kind),
              let plan = try? DiagnosticPlan(kind: kind, level: kind == .dcgm ? job.level : max(0, job.level)) else {
            return Finish(state: "failed", reason: "this agent (\(AgentVersion.current)) cannot run a '\(job.kind)' level \(job.level) diagnostic")
        }
        if case let mig = migGPUs(), !mig.isEmpty {
            return Finish(state: "failed", reason:
                "MIG is enabled on GPU \(mig.map(String.init).joined(separator: ", ")) of \(node): diagnostics need whole GPUs (nvidia-smi -mig 0)")
        }
        let command = tools.command(for: plan, gpus: max(1, job.gpus))
        guard let executable = ToolProcess.resolve(command.executable) else {
            return Finish(exitStatus: 127, state: "failed", reason: tools.missingToolMessage(for: kind, node: node))
        }
        let process: ToolProcess
        do {
            process = try ToolProcess(executable: executable, arguments: command.arguments)
        } catch {
            return Finish(state: "failed", reason: "\(executable) could not be started on \(node): \(error.localizedDescription)")
        }
        configuration.logger.info("diagnostics: run \(job.id): \(executable) \(command.arguments.joined(separator: " "))")
        let deadline = ContinuousClock.now + .seconds(job.timeoutSeconds)
        var unsent = Data()
        var stop: (state: String, reason: String)?
        while process.ending == nil {
            if Task.isCancelled {
                stop = ("failed", "the agent on \(node) stopped during the run")
                break
            }
            try? await Task.sleep(for: flushEvery)
            unsent.append(process.take())
            switch await send(job, credential, &unsent) {
            case .cancel:
                stop = ("cancelled", "cancelled on request")
            case .gone:
                stop = ("cancelled", "the server ended the run")
            case .carryOn:
                break
            }
            if stop != nil { break }
            if ContinuousClock.now > deadline {
                stop = ("timed-out", "stopped after its \(job.timeoutSeconds) s limit")
                break
            }
        }
        if stop != nil { await process.stop() }
        let ending = await process.exit()
        await ToolProcess.pause(milliseconds: 100)  // the last bytes the reader thread delivers
        unsent.append(process.take())
        // All but the last piece as output calls (a finish body stays under the server's limit).
        var attempts = 0
        while unsent.count > Self.pieceLimit, attempts < 20 {
            attempts += 1
            if case .gone = await send(job, credential, &unsent) { break }
        }
        let last = unsent.prefix(Self.utf8Boundary(in: unsent, atMost: Self.pieceLimit))
        return Finish(
            exitStatus: stop == nil ? ending.status : nil, state: stop?.state, reason: stop?.reason,
            output: last.isEmpty ? nil : String(decoding: last, as: UTF8.self))
    }

    enum SendResult { case carryOn, cancel, gone }

    /// The most output bytes one call carries (the server takes bodies up to 1 MiB; JSON escaping
    /// can grow text up to 6×, so 128 KiB stays under it whatever the tool prints).
    static let pieceLimit = 128 << 10

    /// The largest count ≤ `limit` that does not cut a UTF-8 sequence of `data` in two, so no
    /// character straddling two pieces turns into U+FFFD.
    static func utf8Boundary(in data: Data, atMost limit: Int) -> Int {
        guard data.count > limit else { return data.count }
        var cut = limit
        let start = data.startIndex
        // Back off over continuation bytes (10xxxxxx) to the start of the character being cut.
        while cut > 0, cut > limit - 4, data[start + cut] & 0xC0 == 0x80 { cut -= 1 }
        return cut
    }

    /// Sends what is unsent (or an empty keep-alive), keeping it for the next try when the server
    /// cannot be reached. At most 256 KiB per call.
    func send(_ job: Job, _ credential: AgentCredential, _ unsent: inout Data) async -> SendResult {
        let piece = unsent.prefix(Self.utf8Boundary(in: unsent, atMost: Self.pieceLimit))
        do {
            let answer = try await ServerCall.send(
                .POST, "/api/v1/agent/diagnostics/\(job.id)/output", credential: credential,
                json: Chunk(output: String(decoding: piece, as: UTF8.self)), client: client)
            switch answer.status.code {
            case 200:
                unsent.removeFirst(piece.count)
                return (try? JSONDecoder().decode(ChunkAnswer.self, from: answer.body))?.cancel == true ? .cancel : .carryOn
            case 404, 409:
                return .gone
            default:
                configuration.logger.warning("diagnostics: run \(job.id): output refused (\(answer.status.code)): \(answer.message)")
                return .carryOn
            }
        } catch {
            configuration.logger.warning("diagnostics: run \(job.id): \(error.description)")
            return .carryOn
        }
    }

    /// Reports the end, retrying a few times: a lost end is caught by the server's sweep, but
    /// with a vaguer reason.
    func finish(_ job: Job, _ credential: AgentCredential, _ body: Finish) async {
        // In a task of its own: when the agent is stopping, this task is cancelled, and the
        // report must still go out.
        await Task { await self.report(job, credential, body) }.value
    }

    private func report(_ job: Job, _ credential: AgentCredential, _ body: Finish) async {
        for attempt in 1...5 {
            do {
                let answer = try await ServerCall.send(
                    .POST, "/api/v1/agent/diagnostics/\(job.id)/finish", credential: credential, json: body, client: client)
                if answer.status.code == 200 || answer.status.code == 404 || answer.status.code == 409 { return }
                configuration.logger.warning("diagnostics: run \(job.id): end refused (\(answer.status.code)): \(answer.message)")
                return
            } catch {
                configuration.logger.warning("diagnostics: run \(job.id): \(error.description) (attempt \(attempt) of 5)")
                // Not cancellable: the agent may be stopping, and this is its last word.
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
