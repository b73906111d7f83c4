import Foundation
import PrometheusClient
import Testing

/// `serve`'s backend options (docs/DEPLOY.md "Long-term metrics"): what reaches the backend on
/// the wire, and every malformed option refused at start-up with its flag named.
@Suite("Prometheus backend options")
struct PrometheusBackendTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// A scratch file holding `text`; each test removes its own.
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aif-backend-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("headers, parameters and a bearer token from a file reach the backend on every read")
    func onTheWire() async throws {
        let token = try Self.file("s3cret-token\nignored second line\n")
        defer { try? FileManager.default.removeItem(atPath: token) }
        let backend = try PrometheusBackend.load(
            headers: ["X-Scope-OrgID: ai-factory", "X-Extra:  spaced  "], parameters: ["dedup=true", "partial_response=false"],
            bearerTokenFile: token)
        try await FakePrometheus(responses: ["/api/v1/query": .json(Fixtures.scalar)]).run { url, log in
            _ = try await backend.client(baseURL: url).query(try TestScope.acme("up"))
            let request = try #require(await log.last)
            #expect(request.headers["x-scope-orgid"] == "ai-factory")
            #expect(request.headers["x-extra"] == "spaced")
            #expect(request.headers["authorization"] == "Bearer s3cret-token")
            #expect(request.values("dedup") == ["true"] && request.values("partial_response") == ["false"])
            #expect(request.values("query") == [#"up{tenant="acme"}"#], "the scoped query is untouched")
        }
    }

    @Test("answers are asked for uncompressed unless a configured header asks for gzip")
    func acceptEncoding() async throws {
        try await FakePrometheus(responses: ["/api/v1/query": .json(Fixtures.scalar)]).run { url, log in
            _ = try await PrometheusBackend.load().client(baseURL: url).query(try TestScope.acme("up"))
            let plain = try #require(await log.last)
            #expect(plain.headers["accept-encoding"] == "identity", "the decompressor would otherwise ask for deflate, gzip")
            _ = try await PrometheusBackend.load(headers: ["Accept-Encoding: gzip"]).client(baseURL: url).query(try TestScope.acme("up"))
            let gzip = try #require(await log.last)
            #expect(gzip.headers["accept-encoding"] == "gzip")
        }
    }

    @Test("basic auth: the user and the password file's first line")
    func basicAuth() async throws {
        let password = try Self.file("pa:ss\n")
        defer { try? FileManager.default.removeItem(atPath: password) }
        let backend = try PrometheusBackend.load(basicAuthUser: "reader", basicAuthPasswordFile: password)
        try await FakePrometheus(responses: ["/api/v1/query": .json(Fixtures.scalar)]).run { url, log in
            _ = try await backend.client(baseURL: url).query(try TestScope.acme("up"))
            let request = try #require(await log.last)
            #expect(request.headers["authorization"] == "Basic " + Data("reader:pa:ss".utf8).base64EncodedString())
        }
    }

    @Test("a CA file is read as the only trust roots; one without a certificate is refused")
    func caFile() throws {
        _ = try PrometheusBackend.load(caFile: Self.fixtures.appendingPathComponent("tls/test-ca.pem").path)
        let notPEM = try Self.file("not a certificate\n")
        defer { try? FileManager.default.removeItem(atPath: notPEM) }
        #expect(throws: PrometheusBackendError.self) { try PrometheusBackend.load(caFile: notPEM) }
    }

    @Test("malformed options are refused naming the flag", arguments: [
        (["no colon"], [String](), "--prometheus-header"),
        ([": value"], [], "--prometheus-header"),
        (["Bad Name: v"], [], "--prometheus-header"),
        (["Authorization: Bearer x"], [], "--prometheus-header"),
        ([], ["novalue"], "--prometheus-param"),
        ([], ["=x"], "--prometheus-param"),
        ([], ["query=up"], "--prometheus-param"),
    ])
    func refused(_ headers: [String], _ parameters: [String], _ flag: String) {
        do {
            _ = try PrometheusBackend.load(headers: headers, parameters: parameters)
            Issue.record("accepted \(headers) \(parameters)")
        } catch {
            guard case .invalid(let named, _) = error else { return }
            #expect(named == flag, "\(error)")
        }
    }

    @Test("credentials: missing or empty files, half a basic auth and both kinds at once are refused")
    func credentials() throws {
        let empty = try Self.file("\n")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let password = try Self.file("pw")
        defer { try? FileManager.default.removeItem(atPath: password) }
        let cases: [(() throws(PrometheusBackendError) -> PrometheusBackend, String)] = [
            ({ () throws(PrometheusBackendError) in try PrometheusBackend.load(bearerTokenFile: "/nonexistent/token") }, "--prometheus-bearer-token-file"),
            ({ () throws(PrometheusBackendError) in try PrometheusBackend.load(bearerTokenFile: empty) }, "--prometheus-bearer-token-file"),
            ({ () throws(PrometheusBackendError) in try PrometheusBackend.load(basicAuthUser: "u") }, "--prometheus-basic-auth-password-file"),
            ({ () throws(PrometheusBackendError) in try PrometheusBackend.load(basicAuthPasswordFile: password) }, "--prometheus-basic-auth-user"),
            ({ () throws(PrometheusBackendError) in try PrometheusBackend.load(basicAuthUser: "a:b", basicAuthPasswordFile: password) }, "--prometheus-basic-auth-user"),
            ({ () throws(PrometheusBackendError) in
                try PrometheusBackend.load(bearerTokenFile: password, basicAuthUser: "u", basicAuthPasswordFile: password) }, "--prometheus-bearer-token-file"),
        ]
        for (load, flag) in cases {
            do {
                _ = try load()
                Issue.record("accepted a case for \(flag)")
            } catch {
                guard case .invalid(let named, _) = error else { continue }
                #expect(named == flag, "\(error)")
            }
        }
    }
}
