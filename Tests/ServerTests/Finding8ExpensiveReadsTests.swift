import Foundation
import Hummingbird
import HummingbirdTesting
import PromQL
import PrometheusClient
@testable import Server
import Testing

/// Finding 8 of the outside review: `factory/reliability` ran a 30-day `avg_over_time` per call,
/// `factory/alerts` fetched every alert per call, and nothing limited an identity's expensive reads.
@Suite("Finding 8: expensive reads uncached and unlimited")
struct Finding8ExpensiveReadsTests {
    @Test("reliability reads the backend once per refresh interval however often it is asked")
    func reliabilityCached() async throws {
        let fleet = try await TestFleet.make()
        let metrics = RecordingMetrics { _ in .vector([]) }
        let dependencies = ServerDependencies(
            store: fleet.store, serviceDiscoveryToken: "sd-secret", metrics: metrics, alertSource: nil,
            now: { Date(timeIntervalSince1970: 1_800_000_000) })
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: dependencies))
        try await app.test(.router) { client in
            for _ in 0..<5 {
                let response = try await client.execute(uri: "/api/v1/factory/reliability", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
                #expect(response.status == .ok)
            }
        }
        #expect(metrics.tenantQueries.filter { $0.contains("avg_over_time(up") }.count == 1)
        await fleet.close()
    }

    @Test("an identity over its limit of expensive reads gets 429 with Retry-After; another identity does not")
    func limitedPerIdentity() async throws {
        let fleet = try await TestFleet.make()
        var dependencies = ServerDependencies(
            store: fleet.store, serviceDiscoveryToken: "sd-secret", metrics: RecordingMetrics { _ in .vector([]) }, alertSource: nil)
        dependencies.expensiveReads = ExpensiveReadLimiter(limit: 3, window: .seconds(60))
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: dependencies))
        try await app.test(.router) { client in
            for _ in 0..<3 {
                let ok = try await client.execute(uri: "/api/v1/factory/reliability", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
                #expect(ok.status == .ok)
            }
            let limited = try await client.execute(uri: "/api/v1/factory/reliability", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(limited.errorMessage?.contains("expensive reads") == true)
            // Cheap reads and other identities are unaffected.
            let summary = try await client.execute(uri: "/api/v1/factory/summary", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
            #expect(summary.status == .ok)
            let other = try await client.execute(uri: "/api/v1/factory/reliability", method: .get, headers: .bearer(fleet.keys["acme-member"]))
            #expect(other.status == .ok)
        }
        await fleet.close()
    }

    @Test("which paths are expensive", arguments: [
        ("/api/v1/factory/reliability", true), ("/api/v1/factory/alerts", true), ("/api/v1/factory/nodes/n1/trend", true),
        ("/api/v1/admin/nodes/n1/check", true), ("/api/v1/factory/overview", false), ("/api/v1/factory/nodes/n1", false),
        ("/api/v1/me", false), ("/healthz", false),
    ])
    func expensivePaths(path: String, expensive: Bool) {
        #expect(ExpensiveReadLimiter.isExpensive(path) == expensive)
    }
}
