import Factory
import Fleet
import Foundation
import Hummingbird
import HummingbirdTesting
import PromQL
import PrometheusClient
@testable import Server
import Store
import Telemetry
import Testing

/// `GET /api/v1/factory/nodes/:id/events` and `GET /api/v1/factory/reliability`, mounted here the
/// way the lead mounts them in `buildRouter` (behind the production `AuthMiddleware`).
@Suite("EventRoutes")
struct EventRoutesTests {
    /// Serves `avg_over_time(up…[30d])` for both test nodes: a tenant read gets its tenant's node,
    /// the operator's fleet read both.
    struct FakeBackend: RangeMetricsBackend {
        var identity: String { "fake" }
        static func sample(_ tenant: String) -> VectorSample {
            VectorSample(labels: ["node": tenant == "acme" ? "acme-1" : "globex-1", "tenant": tenant], value: tenant == "acme" ? 0.99 : 0.5, timestamp: 0)
        }
        func instantQuery(_ query: ScopedQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
            guard query.text.contains("avg_over_time(up") else { return .vector([]) }
            return .vector([Self.sample(query.tenant)])
        }
        func instantQuery(_ query: FleetQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
            guard query.text.contains("avg_over_time(up"), query.matchers.isEmpty else { return .vector([]) }
            return .vector([Self.sample("acme"), Self.sample("globex")])
        }
        func queryRange(_ query: ScopedQuery, start: Date, end: Date, step: Duration) async throws(PrometheusClientError) -> [RangeSeries] { [] }
    }

    static func router(_ fleet: TestFleet, now: Date, backend: (any RangeMetricsBackend)? = nil) -> Router<AppRequestContext> {
        let dependencies = ServerDependencies(
            store: fleet.store, limiter: FailedAuthLimiter(), serviceDiscoveryToken: "sd-secret", metrics: backend, alertSource: nil, now: { now })
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMappingMiddleware())
        let api = router.group("api/v1/factory")
            .add(middleware: AuthMiddleware(store: dependencies.store, sessions: dependencies.sessions, limiter: dependencies.limiter, now: dependencies.now))
        EventRoutes(dependencies: dependencies).register(on: api)
        return router
    }

    /// acme-1: XID 79 twice and one DBE increase; globex-1: exporter down for 10 minutes.
    static func seed(_ store: any Store, now: Date) async throws {
        for offset in [600.0, 300] {
            _ = try await store.recordEvent(EventOccurrence(
                node: "acme-1", gpuUUID: "GPU-acme", gpuIndex: 0, kind: .xid, code: 79, meaning: "XID 79: GPU has fallen off the bus",
                severity: .critical, time: now.addingTimeInterval(-offset)))
        }
        _ = try await store.recordEvent(EventOccurrence(
            node: "acme-1", gpuUUID: "GPU-acme", gpuIndex: 0, kind: .eccDBE, meaning: "GPU 0: 1 new double-bit ECC error",
            severity: .critical, time: now.addingTimeInterval(-120)))
        for offset in [1200.0, 900, 600] {
            _ = try await store.recordEvent(EventOccurrence(
                node: "globex-1", kind: .exporterDown, meaning: "exporter down", severity: .unknown,
                time: now.addingTimeInterval(-offset), isOnset: offset == 1200))
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var person: String
        var node: String
        var status: HTTPResponse.Status
        var testDescription: String { "\(person) → \(node)" }
    }

    @Test("events of a node only for its holder (and operators); others get 404", arguments: [
        Case(person: "acme-admin", node: "acme-1", status: .ok),
        Case(person: "acme-member", node: "acme-1", status: .ok),
        Case(person: "acme-member", node: "globex-1", status: .notFound),
        Case(person: "globex-member", node: "globex-1", status: .ok),
        Case(person: "umbrella-member", node: "globex-1", status: .notFound),
        Case(person: "hooli-admin", node: "acme-1", status: .notFound),
        Case(person: "acme-admin", node: "nowhere", status: .notFound),
        Case(person: "operator", node: "globex-1", status: .ok),
    ])
    func eventsScoped(_ row: Case) async throws {
        let fleet = try await TestFleet.make()
        let now = Date()
        try await Self.seed(fleet.store, now: now)
        let app = Application(router: Self.router(fleet, now: now))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/factory/nodes/\(row.node)/events", method: .get, headers: .bearer(fleet.keys[row.person]))
            #expect(response.status == row.status)
            if row.status == .ok {
                let events = response.object["events"] as? [[String: Any]] ?? []
                #expect(!events.isEmpty)
                #expect(events.allSatisfy { $0["node"] as? String == row.node })
            } else {
                #expect(response.errorCode == "not_found")
                #expect(!response.text.contains(row.node) || row.node == "nowhere")
            }
        }
        await fleet.close()
    }

    @Test("an event carries node, GPU, kind, code, meaning, first and last seen and count")
    func eventShape() async throws {
        let fleet = try await TestFleet.make()
        let now = Date()
        try await Self.seed(fleet.store, now: now)
        let app = Application(router: Self.router(fleet, now: now))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/factory/nodes/acme-1/events", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
            let events = response.object["events"] as? [[String: Any]] ?? []
            let xid = try #require(events.first { $0["kind"] as? String == "xid" })
            #expect(xid["code"] as? Int == 79 && xid["count"] as? Int == 2)
            #expect(xid["gpuUUID"] as? String == "GPU-acme" && xid["gpuIndex"] as? Int == 0)
            #expect(xid["severity"] as? String == "critical")
            #expect(xid["firstSeen"] is String && xid["lastSeen"] is String && xid["meaning"] is String)
            #expect(events.first?["kind"] as? String == "ecc-dbe", "newest first")

            let narrowed = try await client.execute(uri: "/api/v1/factory/nodes/acme-1/events?since=0", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
            #expect((narrowed.object["events"] as? [[String: Any]])?.isEmpty == true)
            let bad = try await client.execute(uri: "/api/v1/factory/nodes/acme-1/events?since=yesterday", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
            #expect(bad.status == .badRequest)
            let anonymous = try await client.execute(uri: "/api/v1/factory/nodes/acme-1/events", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
        await fleet.close()
    }

    @Test("reliability lists only the caller's nodes with event counts and exporter availability")
    func reliabilityScoped() async throws {
        let fleet = try await TestFleet.make()
        let now = Date().addingTimeInterval(3600)
        try await Self.seed(fleet.store, now: now)
        let app = Application(router: Self.router(fleet, now: now, backend: FakeBackend()))
        try await app.test(.router) { client in
            func nodes(_ person: String) async throws -> [[String: Any]] {
                let response = try await client.execute(uri: "/api/v1/factory/reliability", method: .get, headers: .bearer(fleet.keys[person]))
                #expect(response.status == .ok)
                #expect(response.object["definition"] is String)
                return response.object["nodes"] as? [[String: Any]] ?? []
            }
            let acme = try await nodes("acme-member")
            #expect(acme.map { $0["node"] as? String } == ["acme-1"])
            let row = try #require(acme.first)
            #expect(row["xidEvents"] as? Int == 2 && row["eccEvents"] as? Int == 1 && row["incidents"] as? Int == 2)
            #expect(row["exporterUpFraction"] as? Double == 0.99)
            #expect((row["secondsSinceLastIncident"] as? Double).map { abs($0 - 120) < 1 } == true)

            let globex = try #require(try await nodes("globex-admin").first)
            #expect(globex["node"] as? String == "globex-1" && globex["xidEvents"] as? Int == 0)
            #expect((globex["unhealthySeconds"] as? Double).map { abs($0 - 600) < 1 } == true)
            #expect((globex["availability"] as? Double).map { $0 < 1 } == true)

            let umbrella = try await nodes("umbrella-member")
            #expect(umbrella.isEmpty, "a pool consumer holds no hardware")
            let fleetRows = try await nodes("operator")
            #expect(fleetRows.count == 2)
            #expect(fleetRows.compactMap { $0["exporterUpFraction"] as? Double }.sorted() == [0.5, 0.99], "the operator's fleet read")
        }
        await fleet.close()
    }

    @Test("availability is 1 − union of non-healthy event spans over the observed window")
    func availabilityDefinition() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var node = TestFleet.node("n", holding: .dedicated(tenant: "acme"))
        node.createdAt = now.addingTimeInterval(-60 * 86400)
        func event(_ kind: GPUEvent.Kind, _ severity: Severity, from: TimeInterval, to: TimeInterval, count: Int = 1) -> GPUEvent {
            GPUEvent(id: UUID().uuidString, node: "n", gpuUUID: nil, gpuIndex: 0, kind: kind, code: nil, meaning: "",
                     severity: severity, firstSeen: now.addingTimeInterval(-from), lastSeen: now.addingTimeInterval(-to), count: count)
        }
        let events = [
            event(.thermal, .degraded, from: 86400, to: 86400 - 3600),          // 1 h
            event(.exporterDown, .unknown, from: 86400 - 1800, to: 86400 - 5400), // overlaps: +0.5 h
            event(.xid, .healthy, from: 7200, to: 3600, count: 5),                // healthy: counted, no time
        ]
        let row = NodeReliability(node: node, events: events, now: now)
        #expect(row.observedSeconds == 30 * 86400)
        #expect(row.unhealthySeconds == 5400)
        #expect(row.availability == 1 - 5400.0 / (30 * 86400.0))
        #expect(row.xidEvents == 5 && row.incidents == 2)
        #expect(row.lastIncidentAt == now.addingTimeInterval(-(86400 - 5400)))

        var young = node
        young.createdAt = now
        #expect(NodeReliability(node: young, events: [], now: now).availability == nil)
    }
}
