import Fleet
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import LoadTest
@testable import LoadTestService
@testable import Server
import Store
import TestSupport
import Testing

/// Finding 1: model discovery followed a node endpoint's redirect to another local port (and
/// echoed the upstream status into the run's error); no outbound address policy existed.
@Suite("Finding 1: request forgery through redirects")
struct Finding1RedirectForgeryTests {
    /// Counts the requests a server received.
    actor Hits {
        private(set) var count = 0
        func record() { count += 1 }
    }

    /// A server that answers every request with `status` and `body`, counting them.
    static func counting(_ hits: Hits, status: HTTPResponse.Status = .ok, body: String = #"{"data":[{"id":"internal-secret"}]}"#,
                         location: String? = nil) -> Router<BasicRequestContext> {
        let router = Router()
        let respond: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, _ in
            await hits.record()
            var headers: HTTPFields = [.contentType: "application/json"]
            if let location { headers[.location] = location }
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("**", use: respond)
        router.post("**", use: respond)
        return router
    }

    /// Runs `body` with a node endpoint that redirects everything to another local port, the
    /// production router with the real generator, and `acme-gpu` registered at that endpoint.
    static func withRedirectingNode(outbound: OutboundPolicy,
                                    _ body: @escaping @Sendable (any TestClientProtocol, TestFleet, _ secret: Hits, _ node: Hits, _ secretPort: String) async throws -> Void) async throws {
        let secret = Hits()
        let node = Hits()
        try await withLoopbackServer(counting(secret)) { secretURL in
            let port = String(secretURL.split(separator: ":").last ?? "")
            try await withLoopbackServer(counting(node, status: .found, body: "", location: secretURL + "/internal-secret/v1/models")) { nodeURL in
                let fleet = try await TestFleet.make()
                var record = TestFleet.node("acme-gpu", holding: .dedicated(tenant: "acme"))
                record.vllmAddress = String(nodeURL.dropFirst("http://".count))
                record.vllmPath = "/metrics"
                _ = try await fleet.store.registerNode(record)
                let manager = LoadTestManager(store: fleet.store, runner: .generator, progressInterval: .milliseconds(50), outbound: outbound)
                var dependencies = fleet.dependencies()
                dependencies.loadTests = manager
                let app = Application(router: buildRouter(ServerConfiguration(), dependencies: dependencies))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await manager.run() }
                    let result: Result<Void, any Error>
                    do {
                        try await app.test(.router) { client in try await body(client, fleet, secret, node, port) }
                        result = .success(())
                    } catch {
                        result = .failure(error)
                    }
                    manager.finish()
                    try await group.waitForAll()
                    try result.get()
                }
                await fleet.close()
            }
        }
    }

    static let loopback = OutboundPolicy(allowed: [CIDR("127.0.0.0/8")].compactMap { $0 })

    static func finished(_ object: [String: Any]) -> Bool {
        ["succeeded", "failed", "cancelled"].contains(object["status"] as? String ?? "")
    }

    @Test("finding 1: model discovery never follows a 302 to another local port, and the error names no status or port")
    func modelDiscovery() async throws {
        try await Self.withRedirectingNode(outbound: Self.loopback) { client, fleet, secret, node, secretPort in
            let start = try await LoadTestRoutesTests.start(client, fleet.keys["acme-admin"], ["node": "acme-gpu", "concurrency": [1], "requests": 2, "durationSeconds": 2])
            #expect(start.status == .accepted)
            let id = try #require(start.object["id"] as? String)
            let done = try await LoadTestRoutesTests.poll(client, fleet.keys["acme-admin"], id, until: Self.finished)
            #expect(done["status"] as? String == "failed")
            let error = try #require(done["error"] as? String)
            #expect(!error.contains("302"))
            #expect(!error.contains(secretPort))
            #expect(done["model"] as? String != "internal-secret")
            #expect(await node.count >= 1)
            #expect(await secret.count == 0)
        }
    }

    @Test("finding 1: load traffic never follows a 302 to another local port")
    func loadTraffic() async throws {
        try await Self.withRedirectingNode(outbound: Self.loopback) { client, fleet, secret, node, _ in
            let start = try await LoadTestRoutesTests.start(client, fleet.keys["acme-admin"],
                                                            ["node": "acme-gpu", "model": "m", "concurrency": [1], "requests": 3, "durationSeconds": 2])
            #expect(start.status == .accepted)
            let id = try #require(start.object["id"] as? String)
            let done = try await LoadTestRoutesTests.poll(client, fleet.keys["acme-admin"], id, until: Self.finished)
            #expect(done["status"] as? String == "succeeded")
            #expect(await node.count >= 3)
            #expect(await secret.count == 0)
        }
    }

    @Test("finding 1: a loopback endpoint is refused unless allowed, before any request is sent")
    func loopbackRefused() async throws {
        try await Self.withRedirectingNode(outbound: OutboundPolicy()) { client, fleet, secret, node, _ in
            let start = try await LoadTestRoutesTests.start(client, fleet.keys["acme-admin"], ["node": "acme-gpu", "concurrency": [1], "requests": 1])
            let id = try #require(start.object["id"] as? String)
            let done = try await LoadTestRoutesTests.poll(client, fleet.keys["acme-admin"], id, until: Self.finished)
            #expect(done["status"] as? String == "failed")
            #expect((done["error"] as? String)?.contains("loopback address") == true)
            #expect(await node.count == 0)
            #expect(await secret.count == 0)
        }
    }

    @Test("finding 1: the address classes the policy refuses", arguments: [
        ("127.0.0.1", false), ("::1", false), ("::ffff:127.0.0.1", false), ("169.254.169.254", false), ("10.1.2.3", false),
        ("172.20.0.1", false), ("192.168.1.1", false), ("fd00::1", false), ("fe80::1", false), ("0.0.0.0", false),
        ("100.64.0.1", false), ("8.8.8.8", true), ("2606:4700::1111", true),
    ])
    func addressClasses(address: String, permitted: Bool) throws {
        let ip = try #require(IPAddress(address))
        #expect(OutboundPolicy().permits(ip) == permitted)
        #expect(Self.loopback.permits(ip) == (permitted || address.hasPrefix("127.") || address == "::ffff:127.0.0.1"))
    }

    @Test("finding 1: node registration refuses link-local, unspecified and multicast addresses, keeps loopback")
    func registration() async throws {
        let fleet = try await TestFleet.make()
        for address in ["169.254.169.254:80", "0.0.0.0:9400", "[fe80::1]:9400", "224.0.0.1:9400"] {
            var node = TestFleet.node("bad-\(abs(address.hashValue) % 1000)", holding: .dedicated(tenant: "acme"))
            node.dcgmAddress = address
            await #expect(throws: StoreError.self) { _ = try await fleet.store.registerNode(node) }
        }
        var loopback = TestFleet.node("loop-1", holding: .dedicated(tenant: "acme"))
        loopback.vllmAddress = "127.0.0.1:8000"
        loopback.vllmPath = "/metrics"
        _ = try await fleet.store.registerNode(loopback)
        await fleet.close()
    }
}
