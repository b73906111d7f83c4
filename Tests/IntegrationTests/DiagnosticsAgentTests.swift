import Agent
import AsyncHTTPClient
import Fleet
import Foundation
import Logging
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1
import Server
import ServiceLifecycle
@testable import Stack
import Store
import TestSupport
import Testing

/// Issue 17 with the real `aifactory agent` binary as a child process: it enrols, pulls a run,
/// is killed with SIGKILL mid-run (the server fails the run with the reason), and restarted without
/// `dcgmi` on the host (the run fails naming the missing package: what a GPU host without DCGM says).
@Suite("Diagnostics through the agent binary", .serialized)
struct DiagnosticsAgentTests {
    static let fakeTools = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fake-tools").path

    static func call(_ method: HTTPMethod, _ url: String, key: String, json: [String: Any]? = nil) async throws -> (status: Int, body: [String: Any]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 4 << 20)
        return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:])
    }

    /// Polls run `id` until `done` holds or `seconds` pass; the last answer.
    static func waitFor(_ base: String, _ id: String, key: String, seconds: Double, _ done: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        var last: [String: Any] = [:]
        while Date() < deadline {
            last = try await call(.GET, "\(base)/api/v1/factory/diagnostics/\(id)", key: key).body
            if done(last) { return last }
            try await Task.sleep(for: .milliseconds(250))
        }
        return last
    }

    @Test("SIGKILL mid-run → failed with the reason once the agent is silent; no dcgmi on the host → a clean failed run")
    func killedAgentAndMissingTool() async throws {
        guard let binary = ProcessRunner.aifactoryBinary else { return }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("aif-diag-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let library = try await StandInLibrary().build(into: scratch + "/standin")

        var logger = Logger(label: "test.store")
        logger.logLevel = .warning
        let store = try await StoreFactory.sqlite(path: scratch + "/aifactory.sqlite", logger: logger)
        _ = try await store.createTenant(name: "acme", displayName: "Acme")
        let admin = try await store.createUser(name: "acme-admin", tenant: "acme", kind: .tenantAdmin)
        let key = try await store.createAPIKey(userID: admin.id, label: "test").1
        let token = try await store.createEnrolmentToken(
            tenant: "acme", pool: nil, createdBy: "test", expiresAt: Date().addingTimeInterval(600), audit: nil).1

        var dependencies = ServerDependencies(store: store)
        dependencies.diagnosticLimits.agentSilence = 3
        dependencies.diagnosticPollMax = .seconds(1)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var serverLogger = Logger(label: "test.server")
        serverLogger.logLevel = .critical
        let app = buildApplication(
            ServerConfiguration(host: "127.0.0.1", port: 0), dependencies: dependencies, logger: serverLogger,
            onServerRunning: { port in portContinuation.yield(port); portContinuation.finish() })
        let services = ServiceGroup(configuration: .init(services: [app], logger: serverLogger))

        // The store is closed on every path (`closing`): an unclosed SQLite connection asserts in
        // its deinit, and a thrown `#require` once took the whole parallel test process down with
        // it (CI), hiding which expectation failed.
        try await closing(store) { store in
            try await run(binary: binary, scratch: scratch, library: library, services: services, ports: ports,
                          portContinuation: portContinuation, store: store, key: key, token: token)
        }
    }

    private func run(
        binary: String, scratch: String, library: String, services: ServiceGroup, ports: AsyncStream<Int>,
        portContinuation: AsyncStream<Int>.Continuation, store: any Store, key: String, token: String
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Ends the port stream however the server ends, so a failed bind is not a hang.
                defer { portContinuation.finish() }
                try await services.run()
            }
            defer { Task { await services.triggerGracefulShutdown() } }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let base = "http://127.0.0.1:\(port)"
            let state = scratch + "/agent"
            func agent(_ extra: [String], log: String) throws -> ChildProcess {
                try ChildProcess(
                    name: "agent", executable: binary,
                    arguments: ["agent", "--server", base, "--listen", "127.0.0.1:0", "--state-dir", state,
                                "--nvml-library", library, "--node-name", "acme-agent-9", "--interval", "500ms"] + extra,
                    logPath: scratch + "/" + log,
                    environment: ["FAKE_DIAG_MODE": "slow", "FAKE_DIAG_DELAY": "0", "FAKE_DIAG_SECONDS": "20"])
            }

            // Enrolled with the real binary; a slow r1 starts and streams.
            let first = try agent(["--enroll-token", token, "--dcgmi", Self.fakeTools + "/dcgmi"], log: "agent-1.log")
            let enrolled = try await PrometheusHTTP.eventually(timeout: .seconds(90)) {
                FileManager.default.fileExists(atPath: state + "/credential.json")
            }
            try #require(enrolled, "the agent never enrolled: \(first.logTail(lines: 10))")
            let started = try await Self.call(.POST, base + "/api/v1/factory/diagnostics", key: key,
                                              json: ["node": "acme-agent-9", "kind": "dcgm", "level": 1])
            #expect(started.status == 202, "\(started.body)")
            let id = try #require(started.body["id"] as? String)
            let live = try await Self.waitFor(base, id, key: key, seconds: 60) { ($0["output"] as? String)?.contains("running test 1") == true }
            #expect(live["state"] as? String == "running", "\(live) \(first.logTail(lines: 10))")

            // SIGKILL: no last word. The server fails the run on the silence, with the reason.
            kill(first.pid, SIGKILL)
            _ = await first.exitStatus()
            let killedAt = Date()
            // Bounded, not timed: the run must leave "running" (the 3 s silence limit plus a poll
            // when idle; a loaded CI run once took 17 s), never stay there.
            let failed = try await Self.waitFor(base, id, key: key, seconds: 60) { $0["state"] as? String != "running" }
            #expect(failed["state"] as? String == "failed", "\(failed)")
            #expect((failed["reason"] as? String)?.contains("the agent on acme-agent-9 stopped reporting during the run") == true, "\(failed)")
            #expect((failed["output"] as? String)?.contains("running test 1") == true, "what arrived before the kill is kept")
            let events = try await store.events(nodes: ["acme-agent-9"], since: killedAt.addingTimeInterval(-60))
            #expect(events.contains { $0.kind == .diagnosticFailed })

            // Restarted (the stored credential, no token) on a host without dcgmi.
            let second = try agent(["--dcgmi", scratch + "/no-such-dir/dcgmi"], log: "agent-2.log")
            let again = try await Self.call(.POST, base + "/api/v1/factory/diagnostics", key: key,
                                            json: ["node": "acme-agent-9", "kind": "dcgm", "level": 1])
            let againID = try #require(again.body["id"] as? String, "\(again)")
            let missing = try await Self.waitFor(base, againID, key: key, seconds: 30) { ["failed", "passed"].contains($0["state"] as? String ?? "") }
            #expect(missing["state"] as? String == "failed", "\(missing) \(second.logTail(lines: 10))")
            #expect(missing["reason"] as? String
                    == "dcgmi is not installed on acme-agent-9: install datacenter-gpu-manager (or pass --dcgmi PATH to the agent)")
            #expect(missing["report"] == nil, "nothing ran, so nothing to parse")
            _ = await second.terminate(grace: .seconds(10))
        }
    }
}
