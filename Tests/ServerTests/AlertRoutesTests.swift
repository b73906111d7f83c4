import Fleet
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PrometheusClient
@testable import Server
import ServiceLifecycle
import TestSupport
import Testing

/// `GET /api/v1/factory/alerts` against a fake Prometheus serving a canned `/api/v1/alerts`.
///
/// The router here mounts `AlertRoutes` behind the production `AuthMiddleware` exactly as
/// `buildRouter` does for the other `/api/v1` groups.
@Suite("GET /api/v1/factory/alerts")
struct AlertRoutesTests {
    static let canned = """
        {"status":"success","data":{"alerts":[
          {"labels":{"alertname":"GPUTemperatureHigh","severity":"warning","tenant":"acme","node":"acme-1","gpu":"0"},
           "annotations":{"summary":"GPU 0 of acme-1 above 85 °C","runbook_url":"docs/runbooks/GPUTemperatureHigh.md"},
           "state":"firing","activeAt":"2026-01-02T03:04:05.123456789Z","value":"8.7e+01"},
          {"labels":{"alertname":"GPUCriticalXID","severity":"critical","tenant":"acme","node":"acme-1","gpu":"1","err_code":"79"},
           "annotations":{"summary":"Critical XID 79"},"state":"firing","activeAt":"2026-01-02T03:10:00Z","value":"7.9e+01"},
          {"labels":{"alertname":"ExporterDown","severity":"critical","tenant":"globex","node":"globex-1","job":"dcgm"},
           "annotations":{},"state":"pending","activeAt":"2026-01-02T03:00:00Z","value":"0e+00"},
          {"labels":{"alertname":"Watchdog","severity":"none"},"annotations":{},"state":"firing",
           "activeAt":"2026-01-01T00:00:00Z","value":"1e+00"}
        ]}}
        """

    /// Serves `body` at `/api/v1/alerts` on 127.0.0.1:0 while `run` executes.
    static func withFakePrometheus<T: Sendable>(
        body: String = canned, status: HTTPResponse.Status = .ok, _ run: @Sendable (String) async throws -> T
    ) async throws -> T {
        let router = Router()
        router.get("/api/v1/alerts") { _, _ -> Response in
            Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        return try await withLoopbackServer(router, run)
    }

    static func router(_ fleet: TestFleet, prometheus: PrometheusClient?) -> Router<AppRequestContext> {
        let dependencies = ServerDependencies(store: fleet.store, serviceDiscoveryToken: "sd-secret", prometheus: prometheus)
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMappingMiddleware())
        let api = router.group("api/v1/factory")
            .add(middleware: AuthMiddleware(store: dependencies.store, sessions: dependencies.sessions, limiter: dependencies.limiter, now: dependencies.now))
        AlertRoutes(dependencies: dependencies).register(on: api)
        return router
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var person: String
        var query: String
        var status: HTTPResponse.Status
        var alerts: [String]
        var testDescription: String { "\(person) \(query.isEmpty ? "(all)" : query)" }
    }

    @Test("each role sees only its tenant's alerts; operator-only alerts only to the operator", arguments: [
        Case(person: "acme-admin", query: "", status: .ok, alerts: ["GPUCriticalXID", "GPUTemperatureHigh"]),
        Case(person: "acme-member", query: "", status: .ok, alerts: ["GPUCriticalXID", "GPUTemperatureHigh"]),
        Case(person: "globex-member", query: "", status: .ok, alerts: ["ExporterDown"]),
        Case(person: "umbrella-member", query: "", status: .ok, alerts: []),
        Case(person: "hooli-admin", query: "", status: .ok, alerts: []),
        Case(person: "operator", query: "", status: .ok, alerts: ["ExporterDown", "GPUCriticalXID", "GPUTemperatureHigh", "Watchdog"]),
        Case(person: "acme-member", query: "?node=acme-1", status: .ok, alerts: ["GPUCriticalXID", "GPUTemperatureHigh"]),
        Case(person: "acme-member", query: "?node=globex-1", status: .notFound, alerts: []),
        Case(person: "acme-member", query: "?node=nowhere", status: .notFound, alerts: []),
        Case(person: "umbrella-member", query: "?node=globex-1", status: .notFound, alerts: []),
        Case(person: "operator", query: "?node=globex-1", status: .ok, alerts: ["ExporterDown"]),
    ])
    func scoped(_ row: Case) async throws {
        let fleet = try await TestFleet.make()
        let key = fleet.keys[row.person]
        try await Self.withFakePrometheus { url in
            let app = Application(router: Self.router(fleet, prometheus: PrometheusClient(baseURL: url)))
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/factory/alerts" + row.query, method: .get, headers: .bearer(key))
                #expect(response.status == row.status)
                if row.status == .ok {
                    let alerts = response.object["alerts"] as? [[String: Any]] ?? []
                    let names = alerts.compactMap { ($0["labels"] as? [String: Any])?["alertname"] as? String }
                    #expect(names == row.alerts)
                } else {
                    #expect(response.errorCode == "not_found")
                    #expect(!response.text.contains("globex"), "a 404 must not echo another tenant's node")
                }
            }
        }
        await fleet.close()
    }

    @Test("alerts keep labels, annotations, state, activeAt and value")
    func shape() async throws {
        let fleet = try await TestFleet.make()
        let key = fleet.keys["acme-admin"]
        try await Self.withFakePrometheus { url in
            let app = Application(router: Self.router(fleet, prometheus: PrometheusClient(baseURL: url)))
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/factory/alerts", method: .get, headers: .bearer(key))
                let alerts = response.object["alerts"] as? [[String: Any]] ?? []
                let high = try #require(alerts.first { ($0["labels"] as? [String: Any])?["alertname"] as? String == "GPUTemperatureHigh" })
                #expect(high["state"] as? String == "firing")
                #expect(high["value"] as? String == "8.7e+01")
                #expect((high["activeAt"] as? String)?.hasPrefix("2026-01-02T03:04:05") == true)
                #expect((high["annotations"] as? [String: Any])?["runbook_url"] as? String == "docs/runbooks/GPUTemperatureHigh.md")
            }
        }
        await fleet.close()
    }

    @Test("no credentials → 401")
    func unauthenticated() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: Self.router(fleet, prometheus: PrometheusClient(baseURL: "http://127.0.0.1:9")))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/factory/alerts", method: .get)
            #expect(response.status == .unauthorized)
        }
        await fleet.close()
    }

    @Test("Prometheus unreachable, failing or absent → 503 without upstream detail")
    func unavailable() async throws {
        let fleet = try await TestFleet.make()
        let key = fleet.keys["acme-admin"]
        // Nothing listens on the discard port.
        for prometheus in [PrometheusClient(baseURL: "http://127.0.0.1:9", timeout: .seconds(2)), nil] {
            let app = Application(router: Self.router(fleet, prometheus: prometheus))
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/factory/alerts", method: .get, headers: .bearer(key))
                #expect(response.status == .serviceUnavailable)
                #expect(response.errorCode == "unavailable")
                #expect(!response.text.contains("127.0.0.1"))
            }
        }
        try await Self.withFakePrometheus(body: #"{"status":"error","errorType":"internal","error":"boom"}"#, status: .internalServerError) { url in
            let app = Application(router: Self.router(fleet, prometheus: PrometheusClient(baseURL: url)))
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/factory/alerts", method: .get, headers: .bearer(key))
                #expect(response.status == .serviceUnavailable)
                #expect(!response.text.contains("boom"))
            }
        }
        await fleet.close()
    }
}
