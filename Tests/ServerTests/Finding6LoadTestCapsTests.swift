import Fleet
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import LoadTest
@testable import LoadTestService
@testable import Server
import Store
import Testing

/// Finding 6: one load test could exhaust the server (no in-flight cap, 1,800 s request timeout,
/// no cap on tests across tenants).
@Suite("Finding 6: load test caps")
struct Finding6LoadTestCapsTests {
    actor Jobs {
        private(set) var seen: [LoadTestJob] = []
        func add(_ job: LoadTestJob) { seen.append(job) }
    }

    static func withManager(_ fleet: TestFleet, runner: LoadTestRunner, limits: LoadTestLimits,
                            _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let manager = LoadTestManager(store: fleet.store, runner: runner, progressInterval: .milliseconds(20), limits: limits)
        var dependencies = fleet.dependencies()
        dependencies.loadTests = manager
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: dependencies))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await manager.run() }
            let result: Result<Void, any Error>
            do {
                try await app.test(.router) { client in try await body(client) }
                result = .success(())
            } catch {
                result = .failure(error)
            }
            manager.finish()
            try await group.waitForAll()
            try result.get()
        }
    }

    @Test("finding 6: every test runs with the per-test in-flight cap and a request timeout of at most 120 s")
    func perTestCaps() async throws {
        let fleet = try await LoadTestRoutesTests.fleet()
        let jobs = Jobs()
        let runner = LoadTestRunner { job, _, _ in
            await jobs.add(job)
            return LoadTestOutcome(levels: [])
        }
        let limits = LoadTestLimits(maxConcurrentTests: 4, maxInFlightTotal: 400)
        try await Self.withManager(fleet, runner: runner, limits: limits) { client in
            let start = try await LoadTestRoutesTests.start(client, fleet.keys["acme-admin"],
                                                            ["node": "acme-gpu", "rate": [1000], "durationSeconds": 1800])
            #expect(start.status == .accepted)
            let id = try #require(start.object["id"] as? String)
            _ = try await LoadTestRoutesTests.poll(client, fleet.keys["acme-admin"], id) { $0["status"] as? String == "succeeded" }
        }
        let job = try #require(await jobs.seen.first)
        #expect(job.configuration.maxInFlight == 100)
        #expect(job.configuration.requestTimeout <= .seconds(120))
        await fleet.close()
    }

    @Test("finding 6: beyond the server-wide number of running tests a start answers 503 with Retry-After and stores nothing")
    func serverWideTestCap() async throws {
        let fleet = try await LoadTestRoutesTests.fleet()
        try await Self.withManager(fleet, runner: LoadTestRoutesTests.waitsForStop, limits: LoadTestLimits(maxConcurrentTests: 1)) { client in
            let first = try await LoadTestRoutesTests.start(client, fleet.keys["acme-admin"], LoadTestRoutesTests.minimal)
            #expect(first.status == .accepted)
            var other = LoadTestRoutesTests.minimal
            other["node"] = "globex-gpu"
            let second = try await LoadTestRoutesTests.start(client, fleet.keys["globex-admin"], other)
            #expect(second.status == .serviceUnavailable)
            #expect(second.headers[.retryAfter] != nil)
            #expect(second.errorMessage?.contains("load tests") == true)
        }
        #expect(try await fleet.store.loadTests(tenant: "globex", limit: 10).isEmpty)
        await fleet.close()
    }
}
