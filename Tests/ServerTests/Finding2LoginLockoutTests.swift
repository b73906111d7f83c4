import Fleet
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing

/// Finding 2: failed keys from one address locked every key on it out (the limiter was keyed on
/// the peer address and consulted before the credentials).
@Suite("Finding 2: login lockout")
struct Finding2LoginLockoutTests {
    /// A well-formed key with `prefix` and a random secret: a guess at that key.
    static func guess(prefix: String) -> String {
        prefix + "_" + (0..<64).map { _ in String("0123456789abcdef".randomElement()!) }.joined()
    }

    static func prefix(of key: String?) throws -> String {
        let parts = try #require(key).split(separator: "_")
        return "\(parts[0])_\(parts[1])"
    }

    @Test("finding 2: after 12 failed keys from one address a valid key answers 200")
    func validKeyAfterFailures() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            for index in 0..<12 {
                let key = index.isMultiple(of: 2) ? Self.guess(prefix: "aif_\(String(format: "%012x", index))") : "aif_garbage_\(index)"
                let response = try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(key))
                #expect(response.status == .unauthorized)
            }
            for name in ["acme-admin", "operator"] {
                try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(fleet.keys[name])).status == .ok)
            }
        }
        await fleet.close()
    }

    @Test("finding 2: 12 guesses on one key prefix still answer 429, and the real key still works")
    func guessesOnOnePrefix() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        let prefix = try Self.prefix(of: fleet.keys["acme-member"])
        try await app.test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<12 {
                statuses.append(try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(Self.guess(prefix: prefix))).status)
            }
            #expect(statuses.prefix(10).allSatisfy { $0 == .unauthorized })
            #expect(statuses.suffix(2).allSatisfy { $0 == .tooManyRequests })
            let limited = try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(Self.guess(prefix: prefix)))
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            // Login guesses on the same prefix are limited the same way.
            let login = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                                 body: body(["apiKey": Self.guess(prefix: prefix)]))
            #expect(login.status == .tooManyRequests)
            try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(fleet.keys["acme-member"])).status == .ok)
        }
        await fleet.close()
    }

    @Test("finding 2: an address over its (higher) limit gets 429 for failures only")
    func addressLimit() async throws {
        let fleet = try await TestFleet.make()
        let limiter = FailedAuthLimiter(credentialLimit: 100, addressLimit: 5, window: 60)
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies(limiter: limiter)))
        try await app.test(.router) { client in
            for index in 0..<5 {
                try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer("aif_bad_\(index)")).status == .unauthorized)
            }
            try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer("aif_bad_x")).status == .tooManyRequests)
            try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(fleet.keys["globex-admin"])).status == .ok)
        }
        await fleet.close()
    }

    @Test("finding 2: X-Forwarded-For names the client only when the peer is a trusted proxy", arguments: [
        ("203.0.113.9", ["198.51.100.7"], "203.0.113.9"),                  // untrusted peer: header ignored
        ("10.0.0.2", ["198.51.100.7"], "198.51.100.7"),                   // trusted proxy: its client
        ("10.0.0.2", ["1.2.3.4, 198.51.100.7, 10.0.0.3"], "198.51.100.7"), // right-most untrusted hop; the forged left entry is ignored
        ("10.0.0.2", [], "10.0.0.2"),
        ("10.0.0.2", ["not-an-ip"], "10.0.0.2"),
    ])
    func trustedProxies(peer: String, forwarded: [String], client: String) {
        let proxies = TrustedProxies([CIDR("10.0.0.0/8")].compactMap { $0 })
        #expect(proxies.clientAddress(peer: peer, forwardedFor: forwarded) == client)
    }

    @Test("finding 2: failures counted for one forwarded client do not limit another behind the same proxy")
    func proxiedClientsApart() async throws {
        let fleet = try await TestFleet.make()
        let limiter = FailedAuthLimiter(credentialLimit: 100, addressLimit: 3, window: 60)
        // Live, so the peer is 127.0.0.1: the trusted proxy.
        let configuration = ServerConfiguration(port: 0, trustedProxies: TrustedProxies([CIDR("127.0.0.0/8")].compactMap { $0 }))
        let app = Application(router: buildRouter(configuration, dependencies: fleet.dependencies(limiter: limiter)),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            var one = HTTPFields.bearer("aif_bad")
            one[HTTPField.Name("X-Forwarded-For")!] = "198.51.100.1"
            for _ in 0..<3 { _ = try await client.execute(uri: "/api/v1/me", method: .get, headers: one) }
            try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: one).status == .tooManyRequests)
            var other = HTTPFields.bearer("aif_bad")
            other[HTTPField.Name("X-Forwarded-For")!] = "198.51.100.2"
            try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: other).status == .unauthorized)
            // Without a forwarded address the proxy itself is the client, counted apart too.
            try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer("aif_bad")).status == .unauthorized)
        }
        await fleet.close()
    }
}
