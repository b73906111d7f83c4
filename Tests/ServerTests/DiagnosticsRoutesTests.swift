import Fleet
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Store
import Synchronization
import Testing

/// `/api/v1/factory/diagnostics` and the agent's `/api/v1/agent/diagnostics/…` (issue 17).
@Suite("Diagnostics API")
struct DiagnosticsRoutesTests {
    /// A clock the test moves forward, for the sweep.
    final class TestClock: Sendable {
        private let offset = Mutex<TimeInterval>(0)
        func advance(_ seconds: TimeInterval) { offset.withLock { $0 += seconds } }
        func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    /// Enrols an agent node `h200-a` for acme and returns its credential.
    static func enrolAgent(_ client: some TestClientProtocol, _ fleet: TestFleet, name: String = "h200-a", tenant: String = "acme") async throws -> String {
        let (_, token) = try await fleet.store.createEnrolmentToken(
            tenant: tenant, pool: nil, createdBy: "test", expiresAt: Date().addingTimeInterval(600), audit: nil)
        let enrolled = try await client.execute(
            uri: "/api/v1/agent/enroll", method: .post, headers: EnrolmentRoutesTests.jsonOnly,
            body: body(EnrolmentRoutesTests.enrolBody(token: token, name: name)))
        #expect(enrolled.status == .created, "\(enrolled.text)")
        return try #require(enrolled.object["credential"] as? String)
    }

    static func start(_ client: some TestClientProtocol, _ key: String?, _ payload: [String: Any]) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/factory/diagnostics", method: .post, headers: .json(bearer: key), body: body(payload))
    }

    static func agentPost(_ client: some TestClientProtocol, _ credential: String, _ path: String, _ payload: [String: Any]) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/agent/diagnostics/\(path)", method: .post, headers: .json(bearer: credential), body: body(payload))
    }

    @Test("the acknowledgement gate is on the server: level ≥ 2 and NCCL answer 412 with the warning; who may start what")
    func gateAndRoles() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            _ = try await Self.enrolAgent(client, fleet)
            let admin = fleet.keys["acme-admin"]

            for payload: [String: Any] in [
                ["node": "h200-a", "kind": "dcgm", "level": 2],
                ["node": "h200-a", "kind": "dcgm", "level": 4, "acknowledged": false],
                ["node": "h200-a", "kind": "nccl"],
            ] {
                let gated = try await Self.start(client, admin, payload)
                #expect(gated.status == .preconditionFailed, "\(payload): \(gated.text)")
                #expect(gated.errorCode == "acknowledgement_required")
                #expect(gated.errorMessage?.contains("90 %") == true, "\(gated.text)")
            }
            let r4 = try await Self.start(client, admin, ["node": "h200-a", "kind": "dcgm", "level": 4])
            #expect(r4.errorMessage?.contains("XID 79") == true || r4.errorMessage?.lowercased().contains("hour") == true, "\(r4.text)")
            #expect(try await fleet.store.diagnosticRuns(tenant: nil, node: nil, limit: 10).isEmpty, "a refused start queues nothing")

            // Bad input names the field.
            for (payload, field) in [
                (["node": "h200-a", "kind": "dcgm", "level": 5] as [String: Any], "level"),
                (["node": "h200-a", "kind": "dcgm", "level": 0], "level"),
                (["node": "h200-a", "kind": "nccl", "level": 2, "acknowledged": true], "level"),
                (["node": "h200-a", "kind": "memtest"], "kind"),
                (["node": "acme-1", "kind": "dcgm", "level": 1], "no enrolled agent"),
                (["node": "h200-a", "kind": "dcgm", "level": 1, "extra": 1], "extra"),
            ] {
                let refused = try await Self.start(client, admin, payload)
                #expect(refused.status == .unprocessableContent || refused.status == .badRequest, "\(payload): \(refused.text)")
                #expect(refused.errorMessage?.contains(field) == true, "\(payload): \(refused.text)")
            }

            // Members, other tenants and consumers cannot start; other tenants do not learn the node exists.
            #expect(try await Self.start(client, fleet.keys["acme-member"], ["node": "h200-a", "kind": "dcgm", "level": 1]).status == .forbidden)
            #expect(try await Self.start(client, fleet.keys["globex-admin"], ["node": "h200-a", "kind": "dcgm", "level": 1]).status == .notFound)
            #expect(try await Self.start(client, fleet.keys["umbrella-admin"], ["node": "globex-1", "kind": "dcgm", "level": 1]).status == .notFound)
            #expect(try await Self.start(client, nil, ["node": "h200-a", "kind": "dcgm", "level": 1]).status == .unauthorized)

            let started = try await Self.start(client, admin, ["node": "h200-a", "kind": "dcgm", "level": 3, "acknowledged": true])
            #expect(started.status == .accepted, "\(started.text)")
            #expect(started.object["state"] as? String == "queued")
            #expect(started.object["acknowledged"] as? Bool == true)
            #expect(started.object["timeoutSeconds"] as? Int == 3600)
            let id = try #require(started.object["id"] as? String)

            // One run per node; the operator is refused the same way.
            let second = try await Self.start(client, fleet.keys["operator"], ["node": "h200-a", "kind": "dcgm", "level": 1])
            #expect(second.status == .conflict)
            #expect(second.errorMessage?.contains(id) == true, "\(second.text)")

            // Reads: the tenant's members see it, other tenants get 404 and an empty list, the operator sees all.
            let member = try await client.execute(uri: "/api/v1/factory/diagnostics/\(id)", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(member.status == .ok)
            #expect(try await client.execute(uri: "/api/v1/factory/diagnostics/\(id)", method: .get, headers: .bearer(fleet.keys["globex-admin"])).status == .notFound)
            let foreignList = try await client.execute(uri: "/api/v1/factory/diagnostics", method: .get, headers: .bearer(fleet.keys["globex-admin"]))
            #expect((foreignList.object["runs"] as? [Any])?.isEmpty == true)
            let all = try await client.execute(uri: "/api/v1/factory/diagnostics?node=h200-a", method: .get, headers: .bearer(fleet.keys["operator"]))
            #expect((all.object["runs"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            #expect(try await client.execute(uri: "/api/v1/factory/diagnostics/\(id)/cancel", method: .post, headers: .bearer(fleet.keys["acme-member"])).status == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/factory/diagnostics/\(id)/cancel", method: .post, headers: .bearer(fleet.keys["globex-admin"])).status == .notFound)

            // MIG on a GPU (the agent's heartbeat says so): refused with the reason, nothing queued.
            let credential = try await Self.enrolAgent(client, fleet, name: "h200-mig")
            let beat = try await client.execute(
                uri: "/api/v1/agent/heartbeat", method: .post, headers: .json(bearer: credential),
                body: body(["agentVersion": "0.1.0", "intervalSeconds": 10, "migGPUs": [1, 0]]))
            #expect(beat.status == .noContent, "\(beat.text)")
            let mig = try await Self.start(client, admin, ["node": "h200-mig", "kind": "dcgm", "level": 1])
            #expect(mig.status == .unprocessableContent)
            #expect(mig.errorMessage?.contains("MIG is enabled on GPU 0, 1") == true, "\(mig.text)")

            // A queued run is cancelled at once; cancelling it again is a conflict.
            let cancelled = try await client.execute(uri: "/api/v1/factory/diagnostics/\(id)/cancel", method: .post, headers: .bearer(admin))
            #expect(cancelled.status == .accepted)
            #expect(cancelled.object["state"] as? String == "cancelled")
            #expect(try await client.execute(uri: "/api/v1/factory/diagnostics/\(id)/cancel", method: .post, headers: .bearer(admin)).status == .conflict)
        }
        let audit = try await fleet.store.auditLog(limit: 20)
        let start = try #require(audit.first { $0.action == "diagnostics.start" })
        #expect(start.detail.contains("\"acknowledged\":\"true\""), "\(start.detail)")
        #expect(audit.contains { $0.action == "diagnostics.cancel" })
        await fleet.close()
    }

    @Test("the agent pulls the run, streams output, is told to cancel, and the server parses what it sent")
    func agentProtocol() async throws {
        let fleet = try await TestFleet.make()
        var dependencies = fleet.dependencies()
        dependencies.diagnosticPollMax = .milliseconds(300)
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: dependencies))
        try await app.test(.router) { client in
            let credential = try await Self.enrolAgent(client, fleet)
            let admin = fleet.keys["acme-admin"]
            let agentHeaders = HTTPFields.bearer(credential)

            // Nothing queued: the poll answers 204 after its wait; an API key is not a credential.
            #expect(try await client.execute(uri: "/api/v1/agent/diagnostics/next?wait=1", method: .get, headers: agentHeaders).status == .noContent)
            #expect(try await client.execute(uri: "/api/v1/agent/diagnostics/next?wait=0", method: .get, headers: .bearer(admin)).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/v1/agent/diagnostics/next?wait=soon", method: .get, headers: agentHeaders).status == .unprocessableContent)

            // A failing r1 on DCGM 4: parsed into the persistence-mode verdict and put on the timeline.
            let started = try await Self.start(client, admin, ["node": "h200-a", "kind": "dcgm", "level": 1])
            let id = try #require(started.object["id"] as? String)
            let job = try await client.execute(uri: "/api/v1/agent/diagnostics/next?wait=1", method: .get, headers: agentHeaders)
            #expect(job.status == .ok, "\(job.text)")
            #expect(job.object["id"] as? String == id)
            #expect(job.object["kind"] as? String == "dcgm")
            #expect(job.object["level"] as? Int == 1)
            let running = try await client.execute(uri: "/api/v1/factory/diagnostics/\(id)", method: .get, headers: .bearer(admin))
            #expect(running.object["state"] as? String == "running")
            #expect(running.object["startedAt"] is String)

            let output = try Self.fixture("dcgmi-diag-r1-fail-dcgm4.json")
            let half = output.index(output.startIndex, offsetBy: output.count / 2)
            let chunk = try await Self.agentPost(client, credential, "\(id)/output", ["output": String(output[..<half])])
            #expect(chunk.status == .ok, "\(chunk.text)")
            #expect(chunk.object["cancel"] as? Bool == false)
            let live = try await client.execute(uri: "/api/v1/factory/diagnostics/\(id)", method: .get, headers: .bearer(admin))
            #expect(live.object["output"] as? String == String(output[..<half]), "live progress shows what arrived")
            // Another node's credential cannot touch the run.
            let other = try await Self.enrolAgent(client, fleet, name: "h200-b")
            #expect(try await Self.agentPost(client, other, "\(id)/output", ["output": "x"]).status == .notFound)
            let finished = try await Self.agentPost(client, credential, "\(id)/finish", ["exitStatus": 226, "output": String(output[half...])])
            #expect(finished.status == .ok, "\(finished.text)")
            let ended = try await client.execute(uri: "/api/v1/factory/diagnostics/\(id)", method: .get, headers: .bearer(admin))
            #expect(ended.object["state"] as? String == "failed")
            #expect(ended.object["output"] as? String == output)
            let report = try #require(ended.object["report"] as? [String: Any])
            #expect(report["format"] as? String == "dcgm-json-4")
            #expect(report["action"] as? String == "check-configuration")
            let tests = try #require(report["tests"] as? [[String: Any]])
            let failing = try #require(tests.first { $0["status"] as? String == "fail" })
            let gpu = try #require((failing["gpus"] as? [[String: Any]])?.first)
            #expect(gpu["code"] as? String == "DCGM_FR_PERSISTENCE_MODE")
            #expect((ended.object["reason"] as? String)?.isEmpty == false)
            // An ended run: the agent is told to stop (409), and the run is on the node's timeline.
            #expect(try await Self.agentPost(client, credential, "\(id)/output", ["output": "late"]).status == .conflict)
            let events = try await fleet.store.events(nodes: ["h200-a"], since: Date().addingTimeInterval(-60))
            #expect(events.contains { $0.kind == .diagnosticFailed && $0.meaning.contains("dcgmi diag r1") })

            // A running NCCL test cancelled by the admin: the next chunk answers cancel, the agent confirms.
            let nccl = try await Self.start(client, admin, ["node": "h200-a", "kind": "nccl", "acknowledged": true])
            #expect(nccl.status == .accepted, "\(nccl.text)")
            let ncclID = try #require(nccl.object["id"] as? String)
            let ncclJob = try await client.execute(uri: "/api/v1/agent/diagnostics/next?wait=1", method: .get, headers: agentHeaders)
            #expect(ncclJob.object["gpus"] as? Int == 1)
            let cancel = try await client.execute(uri: "/api/v1/factory/diagnostics/\(ncclID)/cancel", method: .post, headers: .bearer(admin))
            #expect(cancel.status == .accepted)
            #expect(cancel.object["state"] as? String == "running")
            #expect(cancel.object["cancelRequested"] as? Bool == true)
            let told = try await Self.agentPost(client, credential, "\(ncclID)/output", ["output": "# nThread 1\n"])
            #expect(told.object["cancel"] as? Bool == true)
            let bogus = try await Self.agentPost(client, credential, "\(ncclID)/finish", ["state": "passed"])
            #expect(bogus.status == .unprocessableContent, "the agent cannot declare a pass; the server parses")
            // Whatever the agent quotes (tabs, colour codes, pages of it) is stored, cleaned: never a 422 that loses the run.
            let noisy = "cancelled\ton request \u{1B}[31mred\u{1B}[0m " + String(repeating: "x", count: 3000)
            let accepted = try await Self.agentPost(client, credential, "\(ncclID)/finish", ["state": "cancelled", "reason": noisy])
            #expect(accepted.status == .ok, "\(accepted.text)")
            let over = try await client.execute(uri: "/api/v1/factory/diagnostics/\(ncclID)", method: .get, headers: .bearer(admin))
            #expect(over.object["state"] as? String == "cancelled")
            #expect(over.object["finishedAt"] is String)
            let reason = try #require(over.object["reason"] as? String)
            #expect(reason.hasPrefix("cancelled on request  [31mred"), "\(reason)")
            #expect(reason.utf8.count <= 2000)
        }
        await fleet.close()
    }

    @Test("a run no agent drives ends: never picked up, agent silent mid-run, past its timeout, cancel unconfirmed")
    func sweep() async throws {
        let fleet = try await TestFleet.make()
        let clock = TestClock()
        var dependencies = fleet.dependencies()
        dependencies.now = { clock.now() }
        dependencies.diagnosticPollMax = .milliseconds(100)
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: dependencies))
        try await app.test(.router) { client in
            let credential = try await Self.enrolAgent(client, fleet)
            let admin = fleet.keys["acme-admin"]
            func state(_ id: String) async throws -> (String?, String?) {
                let run = try await client.execute(uri: "/api/v1/factory/diagnostics/\(id)", method: .get, headers: .bearer(admin))
                return (run.object["state"] as? String, run.object["reason"] as? String)
            }
            func startAndClaim() async throws -> String {
                let started = try await Self.start(client, admin, ["node": "h200-a", "kind": "dcgm", "level": 1])
                let id = try #require(started.object["id"] as? String, "\(started.text)")
                let job = try await client.execute(uri: "/api/v1/agent/diagnostics/next?wait=0", method: .get, headers: .bearer(credential))
                #expect(job.object["id"] as? String == id)
                return id
            }

            // Queued and never picked up.
            let queued = try #require(try await Self.start(client, admin, ["node": "h200-a", "kind": "dcgm", "level": 1]).object["id"] as? String)
            clock.advance(121)
            let (queuedState, queuedReason) = try await state(queued)
            #expect(queuedState == "failed")
            #expect(queuedReason?.contains("did not pick the run up") == true, "\(queuedReason ?? "")")

            // The agent stops reporting mid-run (killed, network gone): failed within 20 s of silence.
            let silent = try await startAndClaim()
            clock.advance(10)
            #expect(try await state(silent).0 == "running")
            clock.advance(11)
            let (silentState, silentReason) = try await state(silent)
            #expect(silentState == "failed")
            #expect(silentReason?.contains("stopped reporting") == true, "\(silentReason ?? "")")
            let events = try await fleet.store.events(nodes: ["h200-a"], since: Date().addingTimeInterval(-60))
            #expect(events.contains { $0.kind == .diagnosticFailed && $0.meaning.contains("stopped reporting") })

            // The agent keeps talking but never stops the tool: timed out 30 s past the 5 min limit.
            let long = try await startAndClaim()
            for _ in 0..<34 {
                clock.advance(10)
                _ = try await Self.agentPost(client, credential, "\(long)/output", ["output": "."])
            }
            #expect(try await state(long).0 == "timed-out")

            // A cancel the agent never confirms: cancelled after 15 s.
            let unconfirmed = try await startAndClaim()
            _ = try await client.execute(uri: "/api/v1/factory/diagnostics/\(unconfirmed)/cancel", method: .post, headers: .bearer(admin))
            clock.advance(16)
            let (cancelState, cancelReason) = try await state(unconfirmed)
            #expect(cancelState == "cancelled")
            #expect(cancelReason?.contains("did not confirm") == true)

            // The node is free again.
            #expect(try await Self.start(client, admin, ["node": "h200-a", "kind": "dcgm", "level": 1]).status == .accepted)
        }
        await fleet.close()
    }
}
