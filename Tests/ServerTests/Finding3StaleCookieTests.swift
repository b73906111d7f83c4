import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Store
import Testing
import Fleet

/// Finding 3: sessions lived in memory, so after a restart the browser's cookie made sign-in
/// answer 401 (and count as a failure), and sign-out could not clear it.
@Suite("Finding 3: stale cookie")
struct Finding3StaleCookieTests {
    static let unknownCookie = "aif_session=" + String(repeating: "ab", count: 32)

    @Test("finding 3: signing in with an unknown cookie succeeds and replaces it; signing out expires it")
    func unknownCookie() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let login = try await client.execute(uri: "/api/v1/session", method: .post, headers: Browser.write(cookie: Self.unknownCookie),
                                                 body: body(["apiKey": fleet.keys["acme-admin"]!]))
            #expect(login.status == .ok)
            let fresh = try #require(login.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            #expect(fresh != Self.unknownCookie)
            try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: fresh]).status == .ok)

            let logout = try await client.execute(uri: "/api/v1/session", method: .delete, headers: Browser.write(cookie: Self.unknownCookie, contentType: nil))
            #expect(logout.status == .noContent)
            #expect(logout.headers[.setCookie]?.contains("Max-Age=0") == true)
        }
        await fleet.close()
    }

    @Test("finding 3: a session survives a server restart on the same store")
    func survivesRestart() async throws {
        let fleet = try await TestFleet.make()
        let first = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        let cookie = try await first.test(.router) { client in try await Browser.login(client, key: fleet.keys["acme-member"]) }
        // A new router with fresh dependencies: nothing survives in memory.
        let second = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await second.test(.router) { client in
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: cookie])
            #expect(me.status == .ok)
            #expect(me.object["tenant"] as? String == "acme")
        }
        await fleet.close()
    }

    @Test("finding 3: sessions per user are bounded; the oldest ends first")
    func bounded() async throws {
        let fleet = try await TestFleet.make()
        var dependencies = fleet.dependencies()
        dependencies.sessions = SessionStore(maxPerUser: 2)
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: dependencies))
        try await app.test(.router) { client in
            var cookies: [String] = []
            for _ in 0..<3 {
                cookies.append(try await Browser.login(client, key: fleet.keys["acme-member"]))
                try await Task.sleep(for: .milliseconds(5))
            }
            try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: cookies[0]]).status == .unauthorized)
            try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: cookies[2]]).status == .ok)
        }
        let member = try #require(fleet.users["acme-member"])
        #expect(try await fleet.store.sessionCount(userID: member.id) == 2)
        await fleet.close()
    }
}
