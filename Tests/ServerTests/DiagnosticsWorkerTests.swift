import Agent
import Diagnostics
import Fleet
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Server
import Store
import Synchronization
import TestSupport
import Testing

/// The agent's diagnostics worker against a live server, running the fake `dcgmi` and
/// `all_reduce_perf` (Tests/Fixtures/fake-tools) as child processes (issue 17, item 2).
@Suite("Diagnostics worker", .serialized)
struct DiagnosticsWorkerTests {
    /// Wrappers around the fake tools whose mode the test switches between runs.
    struct Tools {
        let directory: URL
        var modeFile: URL { directory.appendingPathComponent("mode") }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("aif-tools-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let fakes = DiagnosticsRoutesTests.fixtures.appendingPathComponent("fake-tools").path
            for tool in ["dcgmi", "all_reduce_perf"] {
                let path = directory.appendingPathComponent(tool).path
                let script = """
                    #!/bin/sh
                    FAKE_DIAG_MODE=$(cat '\(modeFile.path)') FAKE_DIAG_DELAY=0 FAKE_DIAG_SECONDS=${FAKE_DIAG_SECONDS:-120} exec '\(fakes)/\(tool)' "$@"

                    """
                try script.write(toFile: path, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            }
            let hook = directory.appendingPathComponent("drain-hook").path
            let hookScript = """
                #!/bin/sh
                FAKE_DRAIN_LOG='\(drainLog.path)' FAKE_DRAIN_STATUS=$(cat '\(directory.path)/drain-status' 2>/dev/null || echo 0) exec '\(fakes)/drain-hook' "$@"

                """
            try hookScript.write(toFile: hook, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
            try set("pass")
        }

        var drainLog: URL { directory.appendingPathComponent("drain.log") }
        var drainHook: String { directory.appendingPathComponent("drain-hook").path }
        func drainHookExits(_ status: Int) throws {
            try String(status).write(to: directory.appendingPathComponent("drain-status"), atomically: true, encoding: .utf8)
        }
        func drainCalls() -> [String] {
            ((try? String(contentsOf: drainLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        func set(_ mode: String) throws { try mode.write(to: modeFile, atomically: true, encoding: .utf8) }
        var diagnosticTools: DiagnosticTools {
            DiagnosticTools(dcgmi: directory.appendingPathComponent("dcgmi").path, allReducePerf: directory.appendingPathComponent("all_reduce_perf").path)
        }
    }

    /// Runs a worker for `node` while `body` runs; stops it (as the agent stopping would) after.
    static func withWorker<T>(
        port: Int, credential: String, tools: DiagnosticTools, drainHook: String? = nil, vllmMetricsURL: String? = nil,
        drainWait: Duration = .seconds(300), _ body: () async throws -> T
    ) async throws -> T {
        let url = "http://127.0.0.1:\(port)"
        var logger = Logger(label: "test.agent")
        logger.logLevel = .critical
        let configuration = AgentConfiguration(
            serverURL: url, diagnosticTools: tools, drainHook: drainHook, vllmMetricsURL: vllmMetricsURL, drainWait: drainWait, logger: logger)
        let worker = DiagnosticsWorker(configuration: configuration, flushEvery: .milliseconds(200))
        worker.enrolled(AgentCredential(server: url, node: "h200-a", credential: credential, heartbeatSeconds: 30))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await worker.run() }
            let result = try await body()
            group.cancelAll()
            try await group.waitForAll()
            // The server holds a cancelled agent's job poll open until its wait ends (no disconnect
            // notice), and would hand a run queued meanwhile to nobody: let it lapse first.
            try await Task.sleep(for: .milliseconds(1500))
            return result
        }
    }

    /// Polls the run until `done` holds (at most `seconds`); returns the last answer.
    static func waitFor(
        _ client: some TestClientProtocol, _ id: String, key: String?, seconds: Double = 20, _ done: ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        var last: [String: Any] = [:]
        while Date() < deadline {
            last = try await client.execute(uri: "/api/v1/factory/diagnostics/\(id)", method: .get, headers: .bearer(key)).object
            if done(last) { return last }
            try await Task.sleep(for: .milliseconds(200))
        }
        return last
    }

    /// The server on a loopback port, agents' job polls held at most 1 s.
    static func liveApplication(_ fleet: TestFleet) -> some ApplicationProtocol {
        var dependencies = fleet.dependencies()
        dependencies.diagnosticPollMax = .seconds(1)
        return Application(router: buildRouter(ServerConfiguration(), dependencies: dependencies),
                           configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func ended(_ run: [String: Any]) -> Bool {
        ["passed", "failed", "cancelled", "timed-out"].contains(run["state"] as? String ?? "")
    }

    @Test("pass, fail, cancel, timeout, a missing tool and the agent stopping mid-run, each reported as the run's end")
    func runs() async throws {
        let (fleet, tools) = try await (TestFleet.make(), Tools())
        defer { try? FileManager.default.removeItem(at: tools.directory) }
        let app = Self.liveApplication(fleet)
        try await app.test(.live) { client in
            let credential = try await DiagnosticsRoutesTests.enrolAgent(client, fleet)
            let admin = fleet.keys["acme-admin"]
            func start(_ payload: [String: Any]) async throws -> String {
                let started = try await DiagnosticsRoutesTests.start(client, admin, payload)
                #expect(started.status == .accepted, "\(started.text)")
                return try #require(started.object["id"] as? String)
            }

            try await Self.withWorker(port: client.port!, credential: credential, tools: tools.diagnosticTools) {
                // r3 passes: the fixture's 16 tests, one skipped.
                let passing = try await start(["node": "h200-a", "kind": "dcgm", "level": 3, "acknowledged": true])
                let passed = try await Self.waitFor(client, passing, key: admin, Self.ended)
                #expect(passed["state"] as? String == "passed", "\(passed)")
                #expect(passed["exitStatus"] as? Int == 0)
                let report = try #require(passed["report"] as? [String: Any])
                #expect(report["summary"] as? String == "15 of 16 tests passed, 1 skipped")
                #expect((passed["output"] as? String)?.contains("fake dcgmi, mode pass") == true, "stderr is kept with stdout")

                // NCCL with #wrong: failed, the rows parsed.
                try tools.set("fail")
                let wrong = try await start(["node": "h200-a", "kind": "nccl", "acknowledged": true])
                let failed = try await Self.waitFor(client, wrong, key: admin, Self.ended)
                #expect(failed["state"] as? String == "failed", "\(failed)")
                let nccl = try #require((failed["report"] as? [String: Any])?["nccl"] as? [String: Any])
                #expect((nccl["wrong"] as? Int ?? 0) > 0)

                // dcgmi cannot reach its host engine: failed, the tool's own words kept as the reason.
                try tools.set("error")
                let broken = try await start(["node": "h200-a", "kind": "dcgm", "level": 1])
                let error = try await Self.waitFor(client, broken, key: admin, Self.ended)
                #expect(error["state"] as? String == "failed", "\(error)")
                #expect(error["exitStatus"] as? Int == 1)
                #expect((error["reason"] as? String)?.contains("Unable to connect to host engine") == true, "\(error)")

                // A slow run cancelled from the page: the tool is stopped and the run says so.
                try tools.set("slow")
                let slow = try await start(["node": "h200-a", "kind": "dcgm", "level": 1])
                let live = try await Self.waitFor(client, slow, key: admin) { ($0["output"] as? String)?.contains("running test 1") == true }
                #expect(live["state"] as? String == "running", "live output arrives while it runs: \(live)")
                let cancel = try await client.execute(uri: "/api/v1/factory/diagnostics/\(slow)/cancel", method: .post, headers: .bearer(admin))
                #expect(cancel.status == .accepted)
                let cancelled = try await Self.waitFor(client, slow, key: admin, seconds: 15, Self.ended)
                #expect(cancelled["state"] as? String == "cancelled", "\(cancelled)")
                #expect(cancelled["reason"] as? String == "cancelled on request")

                // The agent enforces the run's limit (a 2 s run queued straight into the store).
                let short = try await fleet.store.createDiagnosticRun(
                    tenant: "acme", node: "h200-a", kind: "dcgm", level: 1, requestedBy: "test", acknowledged: false,
                    timeoutSeconds: 2, gpus: 1, drain: false, audit: nil, now: Date())
                let timedOut = try await Self.waitFor(client, short.id, key: admin, seconds: 20, Self.ended)
                #expect(timedOut["state"] as? String == "timed-out", "\(timedOut)")
                #expect((timedOut["reason"] as? String)?.contains("2 s limit") == true)
            }

            // The agent stops mid-run: its last word fails the run with that reason.
            let orphan = try await start(["node": "h200-a", "kind": "dcgm", "level": 1])
            try await Self.withWorker(port: client.port!, credential: credential, tools: tools.diagnosticTools) {
                _ = try await Self.waitFor(client, orphan, key: admin) { ($0["output"] as? String)?.contains("running test 0") == true }
            }
            let stopped = try await Self.waitFor(client, orphan, key: admin, seconds: 10, Self.ended)
            #expect(stopped["state"] as? String == "failed", "\(stopped)")
            #expect((stopped["reason"] as? String)?.contains("stopped during the run") == true, "\(stopped)")

            // No dcgmi on the host: a failed run that names the node and the package.
            let missing = DiagnosticTools(dcgmi: tools.directory.appendingPathComponent("absent/dcgmi").path)
            let noTool = try await start(["node": "h200-a", "kind": "dcgm", "level": 1])
            let answer = try await Self.withWorker(port: client.port!, credential: credential, tools: missing) {
                try await Self.waitFor(client, noTool, key: admin, Self.ended)
            }
            #expect(answer["state"] as? String == "failed")
            #expect(answer["reason"] as? String == "dcgmi is not installed on h200-a: install datacenter-gpu-manager (or pass --dcgmi PATH to the agent)")
        }
        await fleet.close()
    }

    /// A vLLM `/metrics` whose running requests count down to `floor` one per read.
    final class FakeVLLM: Sendable {
        private let running: Mutex<Int>
        let floor: Int
        init(running: Int, floor: Int = 0) {
            self.running = Mutex(running)
            self.floor = floor
        }
        var router: Router<BasicRequestContext> {
            let router = Router()
            router.get("metrics") { _, _ -> String in
                let now = self.running.withLock { value -> Int in
                    defer { value = max(self.floor, value - 1) }
                    return value
                }
                return """
                    # HELP vllm:num_requests_running Number of requests in model execution batches.
                    # TYPE vllm:num_requests_running gauge
                    vllm:num_requests_running{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} \(now).0
                    vllm:num_requests_waiting{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.0

                    """
            }
            return router
        }
    }

    @Test("drain first: the hook takes the node out, in-flight requests finish, the run runs, the node is restored and the run says for how long")
    func drainFirst() async throws {
        let (fleet, tools) = try await (TestFleet.make(), Tools())
        defer { try? FileManager.default.removeItem(at: tools.directory) }
        let app = Self.liveApplication(fleet)
        let vllm = FakeVLLM(running: 2)
        let stuck = FakeVLLM(running: 5, floor: 5)
        try await withLoopbackServer(vllm.router) { vllmURL in
            try await withLoopbackServer(stuck.router) { stuckURL in
                try await app.test(.live) { client in
                    let credential = try await DiagnosticsRoutesTests.enrolAgent(client, fleet)
                    let admin = fleet.keys["acme-admin"]
                    @Sendable func start() async throws -> String {
                        let started = try await DiagnosticsRoutesTests.start(client, admin, ["node": "h200-a", "kind": "dcgm", "level": 1, "drain": true])
                        #expect(started.status == .accepted, "\(started.text)")
                        #expect(started.object["drainRequested"] as? Bool == true)
                        return try #require(started.object["id"] as? String)
                    }

                    try await Self.withWorker(
                        port: client.port!, credential: credential, tools: tools.diagnosticTools,
                        drainHook: tools.drainHook, vllmMetricsURL: vllmURL + "/metrics"
                    ) {
                        // Drained, two requests finish, r1 passes, restored.
                        let id = try await start()
                        let run = try await Self.waitFor(client, id, key: admin, Self.ended)
                        #expect(run["state"] as? String == "passed", "\(run)")
                        #expect((run["report"] as? [String: Any])?["summary"] as? String == "9 of 9 tests passed")
                        let drain = try #require(run["drain"] as? [String: Any], "\(run)")
                        #expect(drain["method"] as? String == "hook")
                        #expect(drain["inFlightAtDrain"] as? Int == 2)
                        #expect((drain["waitedSeconds"] as? Double ?? 0) >= 1)
                        #expect(drain["drainedAt"] is String && drain["restoredAt"] is String)
                        #expect((drain["drainedSeconds"] as? Double ?? 0) > 0)
                        #expect((drain["problems"] as? [Any])?.isEmpty == true, "\(drain)")
                        #expect(tools.drainCalls() == ["drain h200-a \(id)", "restore h200-a \(id)"])
                        let output = run["output"] as? String ?? ""
                        #expect(output.contains("# aifactory: draining h200-a"), "the drain shows in the live output")
                        #expect(output.contains("requests in flight: 2"))

                        // The drain hook fails: the tool never runs, the node is restored anyway.
                        try tools.drainHookExits(3)
                        let refused = try await start()
                        let failed = try await Self.waitFor(client, refused, key: admin, Self.ended)
                        #expect(failed["state"] as? String == "failed")
                        #expect((failed["reason"] as? String)?.contains("the drain hook failed on h200-a (drain exited 3") == true, "\(failed)")
                        #expect((failed["output"] as? String)?.contains("fake dcgmi") == false, "dcgmi did not run")
                        #expect(tools.drainCalls().suffix(2) == ["drain h200-a \(refused)", "restore h200-a \(refused)"])
                        let record = try #require(failed["drain"] as? [String: Any])
                        #expect((record["problems"] as? [String])?.count == 2, "the drain and the restore both failed: \(record)")
                        try tools.drainHookExits(0)
                    }

                    // Requests never finish: given up after the wait, restored, not run.
                    try await Self.withWorker(
                        port: client.port!, credential: credential, tools: tools.diagnosticTools,
                        drainHook: tools.drainHook, vllmMetricsURL: stuckURL + "/metrics", drainWait: .seconds(2)
                    ) {
                        let id = try await start()
                        let run = try await Self.waitFor(client, id, key: admin, Self.ended)
                        #expect(run["state"] as? String == "failed")
                        #expect((run["reason"] as? String)?.contains("5 request(s) still in flight on h200-a after 2 s") == true, "\(run)")
                        #expect(tools.drainCalls().suffix(2) == ["drain h200-a \(id)", "restore h200-a \(id)"])
                        #expect((run["drain"] as? [String: Any])?["restoredAt"] is String)
                    }

                    // `--drain-hook gateway`: the agent drains through its server (the store's drain that
                    // every gateway follows), the run runs, the node is routed again.
                    try await Self.withWorker(
                        port: client.port!, credential: credential, tools: tools.diagnosticTools,
                        drainHook: "gateway", vllmMetricsURL: vllmURL + "/metrics"
                    ) {
                        let calls = tools.drainCalls().count
                        let id = try await start()
                        let run = try await Self.waitFor(client, id, key: admin, Self.ended)
                        #expect(run["state"] as? String == "passed", "\(run)")
                        let drain = try #require(run["drain"] as? [String: Any], "\(run)")
                        #expect(drain["method"] as? String == "gateway" && drain["restoredAt"] is String, "\(drain)")
                        #expect((drain["problems"] as? [Any])?.isEmpty == true, "\(drain)")
                        #expect(tools.drainCalls().count == calls, "no hook ran")
                        #expect(try await fleet.store.nodeDrains().isEmpty, "routed again")
                        let audit = try await fleet.store.auditLog(limit: 20).filter { $0.target == "h200-a" }.map(\.action)
                        #expect(audit.contains("node.drain") && audit.contains("node.restore"), "\(audit)")
                    }

                    // An agent without a hook cannot drain: the run fails saying how to give it one.
                    try await Self.withWorker(port: client.port!, credential: credential, tools: tools.diagnosticTools) {
                        let id = try await start()
                        let run = try await Self.waitFor(client, id, key: admin, Self.ended)
                        #expect(run["state"] as? String == "failed")
                        #expect((run["reason"] as? String)?.contains("has no drain hook: start `aifactory agent` with --drain-hook PATH") == true, "\(run)")
                    }
                }
                return ()
            }
        }
        let audit = try await fleet.store.auditLog(limit: 50).filter { $0.action == "diagnostics.start" }
        #expect(audit.allSatisfy { $0.detail.contains("\"drain\":\"true\"") })
        await fleet.close()
    }
}
