import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Testing
import Web

@Suite("WebRoutes")
struct WebRoutesTests {
    /// The production router (bundle files, real Chart.js folder) with a fleet behind it.
    static func withProductionRouter(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router, body)
        await fleet.close()
    }

    /// WebRoutes alone over temporary folders, so the vendor tests do not depend on Debian packages.
    static func withTemporaryRoots(_ body: @Sendable (any TestClientProtocol, URL) async throws -> Void) async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("webroutes-\(UUID().uuidString)")
        let publicRoot = base.appendingPathComponent("public")
        let chartRoot = base.appendingPathComponent("chart")
        try FileManager.default.createDirectory(at: publicRoot.appendingPathComponent("js"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: chartRoot, withIntermediateDirectories: true)
        try Data("<!doctype html><title>t</title>".utf8).write(to: publicRoot.appendingPathComponent("index.html"))
        try Data("export {}".utf8).write(to: publicRoot.appendingPathComponent("js/app.js"))
        try Data("body{}".utf8).write(to: publicRoot.appendingPathComponent("styles.css"))
        try Data("secret".utf8).write(to: publicRoot.appendingPathComponent(".hidden"))
        try Data("secret".utf8).write(to: base.appendingPathComponent("outside.txt"))
        try Data("/* chart */".utf8).write(to: chartRoot.appendingPathComponent("chart.min.js"))
        try FileManager.default.createSymbolicLink(
            at: chartRoot.appendingPathComponent("Chart.min.js"), withDestinationURL: chartRoot.appendingPathComponent("chart.min.js"))
        defer { try? FileManager.default.removeItem(at: base) }
        let router = Router(context: AppRequestContext.self)
        WebRoutes(publicRoot: publicRoot, chartRoot: chartRoot).register(on: router)
        try await Application(router: router).test(.router) { client in try await body(client, base) }
    }

    @Test("/ redirects to /ai-factory")
    func redirect() async throws {
        try await Self.withProductionRouter { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .found)
            #expect(response.headers[.location] == "/ai-factory")
        }
    }

    @Test("the page is HTML with a strict CSP, no-store and no inline script", arguments: ["/ai-factory", "/ai-factory/"])
    func page(uri: String) async throws {
        try await Self.withProductionRouter { client in
            let response = try await client.execute(uri: uri, method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.cacheControl] == "no-store")
            let csp = try #require(response.headers[.contentSecurityPolicy])
            #expect(csp.contains("script-src 'self'"))
            #expect(csp.contains("default-src 'self'"))
            #expect(!csp.contains("unsafe-inline"))
            #expect(!csp.contains("unsafe-eval"))
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            let html = response.text
            #expect(html.contains("<script type=\"module\" src=\"/ai-factory/js/app.js\"></script>"))
            // Every <script> has a src: nothing inline for the CSP to block.
            let scripts = html.components(separatedBy: "<script").dropFirst()
            #expect(scripts.allSatisfy { $0.prefix { $0 != ">" }.contains("src=") })
            #expect(!html.contains(" style=\""))
            #expect(!html.contains(" onclick="))
        }
    }

    struct Asset: CustomTestStringConvertible, Sendable {
        var uri: String
        var contentType: String
        var testDescription: String { uri }
    }

    @Test("bundled files carry their content type and a revalidating cache policy", arguments: [
        Asset(uri: "/ai-factory/js/app.js", contentType: "text/javascript; charset=utf-8"),
        Asset(uri: "/ai-factory/js/api.js", contentType: "text/javascript; charset=utf-8"),
        Asset(uri: "/ai-factory/styles.css", contentType: "text/css; charset=utf-8"),
        Asset(uri: "/ai-factory/favicon.svg", contentType: "image/svg+xml"),
    ])
    func assets(asset: Asset) async throws {
        try await Self.withProductionRouter { client in
            let response = try await client.execute(uri: asset.uri, method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == asset.contentType)
            #expect(response.headers[.cacheControl] == "no-cache")
            let etag = try #require(response.headers[.eTag])
            #expect(response.body.readableBytes > 0)
            let again = try await client.execute(uri: asset.uri, method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
        }
    }

    @Test("unknown and unsafe paths answer 404", arguments: [
        "/ai-factory/nope.js",
        "/ai-factory/js",
        "/ai-factory/../Package.swift",
        "/ai-factory/..%2f..%2fPackage.swift",
        "/ai-factory/%2e%2e/%2e%2e/etc/passwd",
        "/ai-factory/js/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/ai-factory/.hidden",
        "/ai-factory/js%5c..%5capp.js",
        "/ai-factory/js//app.js",
        "/vendor/chart.js/../../../../etc/passwd",
        "/vendor/chart.js/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/vendor/other/file.js",
        "/vendor/chart.js/",
    ])
    func notFound(uri: String) async throws {
        try await Self.withTemporaryRoots { client, _ in
            let response = try await client.execute(uri: uri, method: .get)
            #expect(response.status == .notFound, "\(uri) answered \(response.status)")
            #expect(!response.text.contains("secret"))
            #expect(!response.text.contains("root:"))
        }
    }

    @Test("Chart.js is read from its folder at run time, symbolic links included, with a long cache")
    func vendor() async throws {
        try await Self.withTemporaryRoots { client, _ in
            for uri in ["/vendor/chart.js/chart.min.js", "/vendor/chart.js/Chart.min.js"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(response.headers[.cacheControl] == "public, max-age=86400")
                #expect(response.text == "/* chart */")
            }
        }
    }

    @Test("a missing Chart.js folder is a 404, not an error")
    func vendorMissing() async throws {
        let router = Router(context: AppRequestContext.self)
        WebRoutes(publicRoot: nil, chartRoot: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)")).register(on: router)
        try await Application(router: router).test(.router) { client in
            let chart = try await client.execute(uri: "/vendor/chart.js/chart.min.js", method: .get)
            #expect(chart.status == .notFound)
            let page = try await client.execute(uri: "/ai-factory", method: .get)
            #expect(page.status == .notFound)
        }
    }

    @Test("StaticFile accepts plain names only", arguments: [
        ("js/app.js", true), ("a/b/c.css", true), ("../x", false), ("a/../b", false), (".env", false),
        ("a/./b", false), ("a//b", false), ("%2e%2e/x", false), ("a%5cb", false), ("a%00b", false), ("", false),
    ])
    func safeComponents(path: String, accepted: Bool) {
        #expect((StaticFile.safeComponents(path) != nil) == accepted)
    }
}
