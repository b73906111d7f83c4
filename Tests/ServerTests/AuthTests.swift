import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Testing
import Fleet
import Store

@Suite("Authentication")
struct AuthTests {
    @Test("no credentials, a wrong key or a malformed header answer 401 with a reason")
    func unauthorized() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            for headers: HTTPFields in [[:], .bearer("aif_" + String(repeating: "0", count: 64)), [.authorization: "Basic Zm9vOmJhcg=="], .bearer("short")] {
                let response = try await client.execute(uri: "/api/v1/me", method: .get, headers: headers)
                #expect(response.status == .unauthorized)
                #expect(response.errorCode == "unauthorized")
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
        }
        await fleet.close()
    }

    @Test("/healthz needs no credentials")
    func healthIsPublic() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            try #expect(await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
        await fleet.close()
    }

    @Test("repeated failures are limited with 429 and Retry-After; a good key is still accepted")
    func rateLimited() async throws {
        let fleet = try await TestFleet.make()
        let limiter = FailedAuthLimiter(credentialLimit: 3, addressLimit: 3, window: 60)
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies(limiter: limiter)))
        try await app.test(.router) { client in
            for _ in 0..<3 {
                try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer("aif_bad")).status == .unauthorized)
            }
            let limited = try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer("aif_bad"))
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(fleet.keys["acme-admin"])).status == .ok)
        }
        await fleet.close()
    }

    @Test("login sets an HttpOnly SameSite=Strict cookie that authenticates; logout ends it")
    func sessionCookie() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let bad = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"], body: body(["apiKey": "aif_nope"]))
            #expect(bad.status == .unauthorized)
            #expect(bad.errorMessage == "invalid or revoked API key")

            let login = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"], body: body(["apiKey": fleet.keys["acme-member"]!]))
            #expect(login.status == .ok)
            let setCookie = try #require(login.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            let token = try #require(setCookie.split(separator: ";").first.map(String.init))
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: token])
            #expect(me.status == .ok)
            #expect(me.object["tenant"] as? String == "acme")

            let logout = try await client.execute(uri: "/api/v1/session", method: .delete, headers: [.cookie: token, HTTPField.Name("Origin")!: "http://localhost"])
            #expect(logout.status == .noContent)
            try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: token]).status == .unauthorized)
        }
        await fleet.close()
    }

    @Test("revoking a key rejects it and ends the sessions it opened")
    func revocation() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        let member = try #require(fleet.users["acme-member"])
        let keyID = try #require(try await fleet.store.apiKeys(userID: member.id).first?.id)
        try await app.test(.router) { client in
            let login = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"], body: body(["apiKey": fleet.keys["acme-member"]!]))
            let token = try #require(login.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let revoke = try await client.execute(uri: "/api/v1/admin/keys/\(keyID)", method: .delete, headers: .bearer(fleet.keys["acme-admin"]))
            #expect(revoke.status == .noContent)
            try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(fleet.keys["acme-member"])).status == .unauthorized)
            try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: token]).status == .unauthorized)
        }
        await fleet.close()
    }

    @Test("last-used time is recorded on use")
    func lastUsed() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        let admin = try #require(fleet.users["acme-admin"])
        #expect(try await fleet.store.apiKeys(userID: admin.id).first?.lastUsedAt == nil)
        try await app.test(.router) { client in
            _ = try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(fleet.keys["acme-admin"]))
        }
        #expect(try await fleet.store.apiKeys(userID: admin.id).first?.lastUsedAt != nil)
        await fleet.close()
    }
}
