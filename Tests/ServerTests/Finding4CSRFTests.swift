import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing
import Store

/// Finding 4: CSRF rested on SameSite alone; a text/plain and a foreign-Origin cookie write each
/// created a tenant.
@Suite("Finding 4: CSRF")
struct Finding4CSRFTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var contentType: String?
        var origin: String?
        var fetchSite: String?
        var status: HTTPResponse.Status
        var testDescription: String { name }
    }

    @Test("finding 4: a cookie write that is not same-origin JSON is refused and creates nothing", arguments: [
        Case(name: "text/plain body that parses as JSON", contentType: "text/plain", origin: Browser.origin, status: .unsupportedMediaType),
        Case(name: "form encoding", contentType: "application/x-www-form-urlencoded", origin: Browser.origin, status: .unsupportedMediaType),
        Case(name: "foreign Origin", contentType: "application/json", origin: "http://evil.example", status: .forbidden),
        Case(name: "same host, other port", contentType: "application/json", origin: "http://localhost:8081", status: .forbidden),
        Case(name: "no Origin, no fetch metadata", contentType: "application/json", origin: nil, status: .forbidden),
        Case(name: "Sec-Fetch-Site: same-site", contentType: "application/json", origin: Browser.origin, fetchSite: "same-site", status: .forbidden),
        Case(name: "Sec-Fetch-Site: cross-site", contentType: "application/json", origin: nil, fetchSite: "cross-site", status: .forbidden),
    ])
    func refused(_ row: Case) async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let cookie = try await Browser.login(client, key: fleet.keys["operator"])
            var headers = Browser.write(cookie: cookie, contentType: row.contentType, origin: row.origin)
            if let site = row.fetchSite { headers[HTTPField.Name("Sec-Fetch-Site")!] = site }
            let response = try await client.execute(uri: "/api/v1/admin/tenants", method: .post, headers: headers,
                                                    body: ByteBuffer(string: #"{"name":"initech","displayName":"x"}"#))
            #expect(response.status == row.status)
            #expect(response.errorMessage?.isEmpty == false)
        }
        #expect(try await fleet.store.tenant(named: "initech") == nil)
        await fleet.close()
    }

    @Test("finding 4: same-origin JSON cookie writes and bearer writes still work")
    func allowed() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let cookie = try await Browser.login(client, key: fleet.keys["operator"])
            let viaOrigin = try await client.execute(uri: "/api/v1/admin/tenants", method: .post, headers: Browser.write(cookie: cookie),
                                                     body: body(["name": "initech"]))
            #expect(viaOrigin.status == .created)
            var fetchMetadata = Browser.write(cookie: cookie, origin: nil)
            fetchMetadata[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
            let viaFetchSite = try await client.execute(uri: "/api/v1/admin/tenants", method: .post, headers: fetchMetadata,
                                                        body: body(["name": "initrode"]))
            #expect(viaFetchSite.status == .created)
            let bearer = try await client.execute(uri: "/api/v1/admin/tenants", method: .post, headers: .json(bearer: fleet.keys["operator"]),
                                                  body: body(["name": "vandelay"]))
            #expect(bearer.status == .created)
            // A bearer write with a text/plain body is refused too (415), naming the type.
            let plain = try await client.execute(uri: "/api/v1/admin/tenants", method: .post,
                                                 headers: [.authorization: "Bearer \(fleet.keys["operator"]!)", .contentType: "text/plain"],
                                                 body: body(["name": "kramerica"]))
            #expect(plain.status == .unsupportedMediaType)
            #expect(plain.errorMessage?.contains("text/plain") == true)
        }
        await fleet.close()
    }

    @Test("finding 4: a login from a foreign page is refused")
    func foreignLogin() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/session", method: .post,
                                                    headers: [.contentType: "application/json", HTTPField.Name("Origin")!: "http://evil.example"],
                                                    body: body(["apiKey": fleet.keys["acme-admin"]!]))
            #expect(response.status == .forbidden)
            #expect(response.headers[.setCookie] == nil)
        }
        await fleet.close()
    }

    @Test("finding 4: over TLS the cookie is Secure and __Host- prefixed, and http origins are foreign")
    func secureCookies() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(secureCookies: true), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let login = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                                 body: body(["apiKey": fleet.keys["operator"]!]))
            let setCookie = try #require(login.headers[.setCookie])
            #expect(setCookie.hasPrefix("__Host-aif_session="))
            #expect(setCookie.contains("; Secure"))
            #expect(setCookie.contains("Path=/"))
            #expect(!setCookie.contains("Domain"))
            let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))
            try #expect(await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: cookie]).status == .ok)
            let http = try await client.execute(uri: "/api/v1/admin/tenants", method: .post, headers: Browser.write(cookie: cookie, origin: "http://localhost"),
                                                body: body(["name": "initech"]))
            #expect(http.status == .forbidden)
            let https = try await client.execute(uri: "/api/v1/admin/tenants", method: .post, headers: Browser.write(cookie: cookie, origin: "https://localhost"),
                                                 body: body(["name": "initech"]))
            #expect(https.status == .created)
        }
        await fleet.close()
    }
}
