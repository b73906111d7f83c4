import Fleet
import Foundation
import Hummingbird
@testable import LoadTest
import TestSupport
import Testing

/// Finding 1: the address the outbound policy approved must be the one connected to, with no
/// second resolution of the host name (DNS rebinding), and redirects are never followed.
@Suite("Finding 1: pinned addresses", .serialized)
struct Finding1PinnedAddressTests {
    /// A name that never resolves (RFC 6761): a connection can only reach the server through the pin.
    static let unresolvable = "node.invalid"

    static func pinned(_ base: String) throws -> (url: String, pin: PinnedAddress) {
        let port = try #require(URL(string: base)?.port)
        return ("http://\(unresolvable):\(port)", PinnedAddress(host: unresolvable, address: "127.0.0.1", port: port))
    }

    @Test("finding 1: load traffic connects to the pinned address, never resolving the host", arguments: [LoadGenerator.Carrier.automatic, .asyncHTTPClient])
    func loadTrafficPinned(carrier: LoadGenerator.Carrier) async throws {
        try await withLoopbackServer(ScriptedServer.router()) { base in
            let (url, pin) = try Self.pinned(base)
            var configuration = LoadTestConfiguration(url: url + "/ok", model: "m", levels: [.concurrency(1)], inputTokens: 8, outputTokens: 10)
            configuration.requests = 2
            configuration.warmupRequests = 0
            configuration.requestTimeout = .seconds(10)
            configuration.pinnedAddress = pin
            let generator = LoadGenerator(configuration: configuration, carrier: carrier)
            let report = await generator.run(level: .concurrency(1))
            try await generator.shutdown()
            #expect(report.successes == 2, "errors: \(report.errors)")
        }
    }

    @Test("finding 1: model discovery connects to the pinned address and does not follow a redirect")
    func modelDiscoveryPinned() async throws {
        let router = Router()
        router.get("models-ok/v1/models") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"data":[{"id":"served"}]}"#)))
        }
        router.get("moved/v1/models") { _, _ in
            Response(status: .found, headers: [.location: "/models-ok/v1/models"])
        }
        try await withLoopbackServer(router) { base in
            let (url, pin) = try Self.pinned(base)
            #expect(try await ServedModels.first(base: url + "/models-ok", pinned: pin) == "served")
            await #expect(throws: LoadTestError.self) { _ = try await ServedModels.first(base: url + "/moved", pinned: pin) }
            do {
                _ = try await ServedModels.first(base: url + "/moved", pinned: pin)
            } catch {
                #expect(!String(describing: error).contains("302"))
            }
        }
    }

    @Test("finding 1: resolution applies the policy to the address a name resolves to")
    func resolveChecksResolvedAddress() async throws {
        // `localhost` resolves to loopback: refused by default, allowed when listed.
        await #expect(throws: OutboundRefusal.self) { _ = try await OutboundPolicy().resolve(host: "localhost", port: 80) }
        let allowed = OutboundPolicy(allowed: [CIDR("127.0.0.0/8"), CIDR("::1/128")].compactMap { $0 })
        let pin = try await allowed.resolve(host: "localhost", port: 8000)
        #expect(pin.host == "localhost")
        #expect(["127.0.0.1", "::1"].contains(pin.address))
        await #expect(throws: OutboundRefusal.self) { _ = try await allowed.resolve(host: "node.invalid", port: 80) }
    }
}
