import Fleet
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import LoadTest
@testable import LoadTestService
@testable import Server
import Store
import Testing

/// `/api/v1/factory/loadtests` through the production router, with a scripted runner (no HTTP
/// load): who may start what, the caps, one test per tenant, cancel, scoping, stored results.
@Suite("LoadTestRoutes")
struct LoadTestRoutesTests {
    /// acme holds `acme-gpu` (dedicated) and globex `globex-gpu` (contributed), both serving vLLM;
    /// `acme-1` serves none.
    static func fleet() async throws -> TestFleet {
        let fleet = try await TestFleet.make()
        for (name, holding) in [("acme-gpu", Holding.dedicated(tenant: "acme")), ("globex-gpu", .contributed(provider: "globex", pool: "shared"))] {
            var node = TestFleet.node(name, holding: holding)
            node.vllmAddress = "127.0.0.1:9"
            node.vllmPath = "/nodes/\(name)/vllm/metrics"
            _ = try await fleet.store.registerNode(node)
        }
        return fleet
    }

    static func report(_ level: Level, requests: Int = 10, interrupted: Bool = false) -> LevelReport {
        LevelReport(level: level, requests: requests, successes: requests, errors: [:], durationSeconds: 1,
                    metrics: ["time_to_first_token": MetricStats(unit: "ms", avg: 30, min: 20, max: 40, p50: 30, p90: 35, p95: 38, p99: 40, std: 5, count: requests)],
                    scheduleLag: nil, fellBehind: false, achievedRate: nil, interrupted: interrupted, slo: [])
    }

    /// Reports progress, then waits for its stop signal and returns the interrupted level.
    static let waitsForStop = LoadTestRunner { job, stop, events in
        let level = job.configuration.levels.first ?? .concurrency(1)
        events.progress(ProgressSnapshot(level: level, warmingUp: false, finished: 3, errors: 0, target: 10, elapsedSeconds: 1, ttftP50Milliseconds: 25))
        while await !stop.isTriggered {
            try await Task.sleep(for: .milliseconds(10))
        }
        return LoadTestOutcome(levels: [report(level, requests: 3, interrupted: true)])
    }

    /// Completes every level at once with a fixed report.
    static let completes = LoadTestRunner { job, _, events in
        events.model(job.modelGiven ? job.configuration.model : "served-model")
        let reports = job.configuration.levels.map { report($0) }
        reports.forEach(events.level)
        return LoadTestOutcome(levels: reports)
    }

    /// Runs `body` with the production router and a running manager, then shuts the manager down.
    static func withApp(_ fleet: TestFleet, runner: LoadTestRunner = waitsForStop, enabled: Bool = true, watchdog: Duration = .seconds(1800),
                        _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let manager = LoadTestManager(store: fleet.store, runner: runner, watchdog: watchdog, progressInterval: .milliseconds(20))
        var dependencies = fleet.dependencies()
        if enabled { dependencies.loadTests = manager }
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: dependencies))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await manager.run() }
            do {
                try await app.test(.router) { client in try await body(client) }
            } catch {
                manager.finish()
                try? await group.waitForAll()
                throw error
            }
            manager.finish()
            try await group.waitForAll()
        }
    }

    /// POSTs a test, acknowledged unless `object` says otherwise (the 412 has its own test).
    static func start(_ client: some TestClientProtocol, _ key: String?, _ object: [String: Any]) async throws -> TestResponse {
        var object = object
        if object["acknowledged"] == nil { object["acknowledged"] = true }
        return try await client.execute(uri: "/api/v1/factory/loadtests", method: .post, headers: .json(bearer: key), body: body(object))
    }

    /// Polls a test until `done` holds (deadline 5 s).
    static func poll(_ client: some TestClientProtocol, _ key: String?, _ id: String,
                     until done: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let response = try await client.execute(uri: "/api/v1/factory/loadtests/\(id)", method: .get, headers: .bearer(key))
            let object = response.object
            if done(object) || ContinuousClock.now > deadline { return object }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    nonisolated(unsafe) static let minimal: [String: Any] = ["node": "acme-gpu", "concurrency": [1, 2], "requests": 10, "durationSeconds": 5]

    struct Case: Sendable, CustomTestStringConvertible {
        var person: String
        var node: String
        var status: HTTPResponse.Status
        var testDescription: String { "\(person) → \(node): \(status.code)" }
    }

    @Test("who may start a test on which node", arguments: [
        Case(person: "acme-admin", node: "acme-gpu", status: .accepted),
        Case(person: "globex-admin", node: "globex-gpu", status: .accepted),
        Case(person: "acme-member", node: "acme-gpu", status: .forbidden),
        Case(person: "acme-admin", node: "globex-gpu", status: .notFound),
        Case(person: "umbrella-admin", node: "globex-gpu", status: .notFound),
        Case(person: "umbrella-member", node: "globex-gpu", status: .forbidden),
        Case(person: "hooli-admin", node: "acme-gpu", status: .notFound),
        Case(person: "acme-admin", node: "nowhere", status: .notFound),
        Case(person: "operator", node: "globex-gpu", status: .accepted),
        Case(person: "operator", node: "acme-gpu", status: .accepted),
    ])
    func roleMatrix(_ row: Case) async throws {
        let fleet = try await Self.fleet()
        try await Self.withApp(fleet) { client in
            var request = Self.minimal
            request["node"] = row.node
            let response = try await Self.start(client, fleet.keys[row.person], request)
            #expect(response.status == row.status, "\(response.text)")
            if row.status == .accepted {
                let tenant = row.node == "acme-gpu" ? "acme" : "globex"
                #expect(response.object["tenant"] as? String == tenant, "operator runs count for the node's tenant")
                #expect(response.object["node"] as? String == row.node)
                #expect(response.object["status"] as? String == "queued")
                #expect(response.object["requestedBy"] as? String == fleet.users[row.person]?.id)
                let plan = try #require(response.object["plan"] as? [String: Any])
                #expect(plan["endpoint"] as? String == "chat" && plan["isl"] as? Int == 128 && plan["osl"] as? Int == 64)
                #expect(plan["concurrency"] as? [Int] == [1, 2])
            } else {
                #expect(try await fleet.store.loadTests(tenant: nil, limit: 10).isEmpty, "nothing stored on a refused request")
            }
        }
        await fleet.close()
    }

    @Test("the stress acknowledgement is the server's: without it or false, 412 with what the test does; nothing stored")
    func acknowledgement() async throws {
        let fleet = try await Self.fleet()
        try await Self.withApp(fleet) { client in
            var unacknowledged = Self.minimal
            unacknowledged["acknowledged"] = false
            let refused = try await Self.start(client, fleet.keys["acme-admin"], unacknowledged)
            #expect(refused.status == .preconditionFailed, "\(refused.text)")
            #expect(refused.errorCode == "acknowledgement_required")
            #expect(refused.errorMessage?.contains("up to 2 concurrent requests") == true && refused.errorMessage?.contains("acknowledged") == true,
                    "\(refused.errorMessage ?? "")")
            var missing = Self.minimal
            missing["acknowledged"] = nil
            let absent = try await client.execute(uri: "/api/v1/factory/loadtests", method: .post, headers: .json(bearer: fleet.keys["acme-admin"]),
                                                  body: body(missing))
            #expect(absent.status == .preconditionFailed)
            #expect(try await fleet.store.loadTests(tenant: nil, limit: 10).isEmpty, "nothing stored")
            // A malformed plan is still a 422 first: the acknowledgement covers a test that can run.
            var bad = unacknowledged
            bad["isl"] = 0
            #expect(try await Self.start(client, fleet.keys["acme-admin"], bad).status == .unprocessableContent)
            let started = try await Self.start(client, fleet.keys["acme-admin"], Self.minimal)
            #expect(started.status == .accepted)
            #expect((started.object["plan"] as? [String: Any])?["acknowledged"] == nil, "the acknowledgement is checked, not stored in the plan")
        }
        await fleet.close()
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var changes: [String: any Sendable]
        var removes: [String] = []
        var field: String
        var testDescription: String { name }
    }

    @Test("refuses bad requests with 422 naming the field, storing nothing", arguments: [
        Refusal(name: "url field", changes: ["url": "http://169.254.169.254/latest"], field: "url"),
        Refusal(name: "baseURL field", changes: ["baseURL": "http://10.0.0.1:8000"], field: "baseURL"),
        Refusal(name: "unknown field", changes: ["concurrancy": [1]], field: "concurrancy"),
        Refusal(name: "concurrency 257", changes: ["concurrency": [1, 257]], field: "concurrency"),
        Refusal(name: "concurrency 0", changes: ["concurrency": [0]], field: "concurrency"),
        Refusal(name: "durationSeconds over cap", changes: ["durationSeconds": 1801], field: "durationSeconds"),
        Refusal(name: "total over 30 min", changes: ["concurrency": [1, 2, 4], "durationSeconds": 700], field: "durationSeconds"),
        Refusal(name: "searchLimit over cap", changes: ["search": "max-concurrency-under-slo", "slo": "ttft_p99=500ms", "searchLimit": 257],
                removes: ["concurrency"], field: "searchLimit"),
        Refusal(name: "search without slo", changes: ["search": "max-concurrency-under-slo"], removes: ["concurrency"], field: "slo"),
        Refusal(name: "both concurrency and rate", changes: ["rate": [5]], field: "rate"),
        Refusal(name: "neither concurrency nor rate", changes: [:], removes: ["concurrency"], field: "concurrency"),
        Refusal(name: "bad endpoint", changes: ["endpoint": "embeddings"], field: "endpoint"),
        Refusal(name: "bad arrival", changes: ["rate": [5], "arrival": "burst"], removes: ["concurrency"], field: "arrival"),
        Refusal(name: "bad slo", changes: ["slo": "ttft=fast"], field: "slo"),
        Refusal(name: "isl 0", changes: ["isl": 0], field: "isl"),
        Refusal(name: "requests 0", changes: ["requests": 0], field: "requests"),
        Refusal(name: "node without vLLM", changes: ["node": "acme-1"], field: "node"),
        Refusal(name: "wrong type", changes: ["concurrency": "1,2"], field: "concurrency"),
    ])
    func refusals(_ row: Refusal) async throws {
        let fleet = try await Self.fleet()
        try await Self.withApp(fleet) { client in
            var request: [String: Any] = Self.minimal
            for key in row.removes { request[key] = nil }
            for (key, value) in row.changes { request[key] = value }
            let response = try await Self.start(client, fleet.keys["acme-admin"], request)
            #expect(response.status == .unprocessableContent, "\(response.text)")
            #expect(response.errorMessage?.hasPrefix(row.field + ":") == true, "\(response.errorMessage ?? "")")
            if row.field == "url" || row.field == "baseURL" {
                #expect(response.errorMessage?.contains("arbitrary URLs are refused; name a registered node") == true)
            }
            #expect(try await fleet.store.loadTests(tenant: nil, limit: 10).isEmpty)
        }
        await fleet.close()
    }

    @Test("one active test per tenant (operator runs count for the node's tenant); cancel stops it")
    func onePerTenantAndCancel() async throws {
        let fleet = try await Self.fleet()
        try await Self.withApp(fleet) { client in
            let first = try await Self.start(client, fleet.keys["operator"], Self.minimal)
            #expect(first.status == .accepted)
            let id = try #require(first.object["id"] as? String)
            let running = try await Self.poll(client, fleet.keys["acme-admin"], id) { ($0["progress"] as? [String: Any]) != nil }
            #expect(running["status"] as? String == "running")
            let progress = try #require(running["progress"] as? [String: Any])
            #expect(progress["level"] as? String == "c1" && progress["finished"] as? Int == 3 && progress["ttftP50Ms"] as? Double == 25)

            let second = try await Self.start(client, fleet.keys["acme-admin"], Self.minimal)
            #expect(second.status == .conflict)
            #expect(second.errorMessage?.contains(id) == true, "names the running test")
            let other = try await Self.start(client, fleet.keys["globex-admin"], ["node": "globex-gpu", "rate": [2], "arrival": "poisson"])
            #expect(other.status == .accepted, "another tenant is not blocked")

            let memberCancel = try await client.execute(uri: "/api/v1/factory/loadtests/\(id)/cancel", method: .post, headers: .bearer(fleet.keys["acme-member"]))
            #expect(memberCancel.status == .forbidden)
            let foreignCancel = try await client.execute(uri: "/api/v1/factory/loadtests/\(id)/cancel", method: .post, headers: .bearer(fleet.keys["globex-admin"]))
            #expect(foreignCancel.status == .notFound)
            let cancel = try await client.execute(uri: "/api/v1/factory/loadtests/\(id)/cancel", method: .post, headers: .bearer(fleet.keys["acme-admin"]))
            #expect(cancel.status == .accepted)
            let cancelled = try await Self.poll(client, fleet.keys["acme-admin"], id) { $0["status"] as? String == "cancelled" }
            #expect(cancelled["status"] as? String == "cancelled")
            #expect(cancelled["finishedAt"] is String && cancelled["startedAt"] is String)
            let levels = try #require(cancelled["levels"] as? [[String: Any]])
            #expect(levels.count == 1 && levels.first?["interrupted"] as? Bool == true && levels.first?["label"] as? String == "c1")

            let again = try await client.execute(uri: "/api/v1/factory/loadtests/\(id)/cancel", method: .post, headers: .bearer(fleet.keys["acme-admin"]))
            #expect(again.status == .conflict, "cancelling a finished test")
            let next = try await Self.start(client, fleet.keys["acme-admin"], Self.minimal)
            #expect(next.status == .accepted, "the tenant may start again once it ended")

            // Starting and cancelling are audited with the test's id; refusals are not.
            let audit = try await fleet.store.auditLog(limit: 50).filter { $0.action.hasPrefix("loadtest.") }
            #expect(audit.filter { $0.action == "loadtest.start" }.count == 3)
            #expect(audit.contains { $0.action == "loadtest.cancel" && $0.target == id })
        }
        await fleet.close()
    }

    @Test("results are stored and readable after completion; lists are scoped, newest first")
    func resultsAndLists() async throws {
        let fleet = try await Self.fleet()
        try await Self.withApp(fleet, runner: Self.completes) { client in
            let acme = try await Self.start(client, fleet.keys["acme-admin"], Self.minimal)
            let acmeID = try #require(acme.object["id"] as? String)
            let done = try await Self.poll(client, fleet.keys["acme-member"], acmeID) { $0["status"] as? String == "succeeded" }
            #expect(done["status"] as? String == "succeeded")
            #expect(done["model"] as? String == "served-model")
            let levels = try #require(done["levels"] as? [[String: Any]])
            #expect(levels.map { $0["label"] as? String } == ["c1", "c2"])
            #expect(levels.allSatisfy { $0["successes"] as? Int == 10 })
            let ttft = (levels.first?["metrics"] as? [String: Any])?["time_to_first_token"] as? [String: Any]
            #expect(ttft?["p50"] as? Double == 30)
            #expect(done["error"] is NSNull && done["search"] is NSNull)

            var second = Self.minimal
            second["model"] = "named"
            let acme2 = try await Self.start(client, fleet.keys["acme-admin"], second)
            let acme2ID = try #require(acme2.object["id"] as? String)
            _ = try await Self.poll(client, fleet.keys["acme-admin"], acme2ID) { $0["status"] as? String == "succeeded" }
            let globex = try await Self.start(client, fleet.keys["globex-admin"], ["node": "globex-gpu", "concurrency": [4]])
            let globexID = try #require(globex.object["id"] as? String)
            _ = try await Self.poll(client, fleet.keys["globex-admin"], globexID) { $0["status"] as? String == "succeeded" }

            let list = try await client.execute(uri: "/api/v1/factory/loadtests", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            let ids = (list.object["loadTests"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == [acme2ID, acmeID], "own tenant only, newest first")
            let all = try await client.execute(uri: "/api/v1/factory/loadtests", method: .get, headers: .bearer(fleet.keys["operator"]))
            #expect((all.object["loadTests"] as? [[String: Any]])?.count == 3)
            let foreign = try await client.execute(uri: "/api/v1/factory/loadtests/\(globexID)", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
            #expect(foreign.status == .notFound)
            let consumer = try await client.execute(uri: "/api/v1/factory/loadtests", method: .get, headers: .bearer(fleet.keys["umbrella-admin"]))
            #expect((consumer.object["loadTests"] as? [[String: Any]])?.isEmpty == true)
            let stored = try #require(try await fleet.store.loadTest(id: acmeID))
            #expect(stored.status == .succeeded && stored.result?.contains("time_to_first_token") == true)
        }
        await fleet.close()
    }

    /// A max-concurrency search whose levels pass up to concurrency 5.
    static let searches = LoadTestRunner { job, _, events in
        let result = await CapacitySearch.maxConcurrency(limit: job.searchLimit) { (concurrency: Int) -> (outcome: LevelReport, passed: Bool)? in
            let level = report(.concurrency(concurrency))
            events.level(level)
            return (level, concurrency <= 5)
        }
        return LoadTestOutcome(levels: result.trials.map(\.outcome), search: result)
    }

    @Test("a search stores its answer and trials")
    func search() async throws {
        let fleet = try await Self.fleet()
        try await Self.withApp(fleet, runner: Self.searches) { client in
            let response = try await Self.start(client, fleet.keys["acme-admin"], [
                "node": "acme-gpu", "search": "max-concurrency-under-slo", "slo": "ttft_p99=500ms", "searchLimit": 16, "durationSeconds": 10,
            ])
            #expect(response.status == .accepted, "\(response.text)")
            let id = try #require(response.object["id"] as? String)
            let done = try await Self.poll(client, fleet.keys["acme-admin"], id) { $0["status"] as? String == "succeeded" }
            let search = try #require(done["search"] as? [String: Any])
            #expect(search["maxConcurrency"] as? Int == 5 && search["limit"] as? Int == 16 && search["hitLimit"] as? Bool == false)
            #expect(search["goal"] as? String == "max-concurrency-under-slo")
            let trials = (search["trials"] as? [[String: Any]])?.compactMap { $0["concurrency"] as? Int }
            #expect(trials == [1, 2, 4, 8, 6, 5])
            #expect((done["levels"] as? [[String: Any]])?.count == 6)
        }
        await fleet.close()
    }

    @Test("the watchdog stops a test that outlives it and records it failed")
    func watchdog() async throws {
        let fleet = try await Self.fleet()
        try await Self.withApp(fleet, watchdog: .milliseconds(200)) { client in
            let response = try await Self.start(client, fleet.keys["acme-admin"], Self.minimal)
            let id = try #require(response.object["id"] as? String)
            let done = try await Self.poll(client, fleet.keys["acme-admin"], id) { $0["status"] as? String == "failed" }
            #expect(done["status"] as? String == "failed")
            #expect((done["error"] as? String)?.hasPrefix("stopped by the watchdog") == true)
        }
        await fleet.close()
    }

    @Test("without a manager the routes answer 503")
    func disabled() async throws {
        let fleet = try await Self.fleet()
        try await Self.withApp(fleet, enabled: false) { client in
            let response = try await Self.start(client, fleet.keys["acme-admin"], Self.minimal)
            #expect(response.status == .serviceUnavailable)
            #expect(response.errorMessage == "load tests are not enabled")
        }
        await fleet.close()
    }

    @Test("the OpenAI base URL is the vLLM address and path without /metrics")
    func openAIBase() {
        #expect(LoadTestManager.openAIBase(address: "10.0.0.5:8000", path: "/metrics") == "http://10.0.0.5:8000")
        #expect(LoadTestManager.openAIBase(address: "127.0.0.1:9400", path: "/nodes/n1/vllm/metrics") == "http://127.0.0.1:9400/nodes/n1/vllm")
        #expect(LoadTestManager.openAIBase(address: "h:1", path: nil) == "http://h:1")
    }

    @Test("a test left active by an earlier process is failed at start-up")
    func interruptedAtStartup() async throws {
        let fleet = try await Self.fleet()
        let old = try await fleet.store.createLoadTest(tenant: "acme", node: "acme-gpu", requestedBy: "u_x", plan: "{}")
        try await Task.sleep(for: .milliseconds(5))
        try await Self.withApp(fleet) { _ in
            let deadline = ContinuousClock.now + .seconds(5)
            while try await fleet.store.loadTest(id: old.id)?.status != .failed, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let record = try #require(try await fleet.store.loadTest(id: old.id))
        #expect(record.status == .failed && record.error == LoadTestManager.interruptedReason)
        await fleet.close()
    }

    @Test("shutting the manager down records a running test cancelled")
    func shutdownRecords() async throws {
        let fleet = try await Self.fleet()
        try await Self.withApp(fleet) { client in
            let response = try await Self.start(client, fleet.keys["acme-admin"], Self.minimal)
            let started = try #require(response.object["id"] as? String)
            _ = try await Self.poll(client, fleet.keys["acme-admin"], started) { $0["status"] as? String == "running" }
        }
        let record = try #require(try await fleet.store.loadTests(tenant: "acme", limit: 1).first)
        #expect(record.status == .cancelled && record.error == LoadTestManager.shutdownReason, "\(record)")
        await fleet.close()
    }
}
