import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import TestSupport
import Testing
import Web

/// gzip for the page's static files: negotiation, validators, and bytes that the system's own
/// `gzip -d` turns back into the plain file.
@Suite("Static file compression")
struct StaticCompressionTests {
    /// A script large enough to compress, a tiny one, and an image-typed file.
    static let script = (0..<400).map { "export const metric\($0) = 'DCGM_FI_DEV_GPU_UTIL';\n" }.joined()

    static func withRoots(_ body: @Sendable (any TestClientProtocol, URL) async throws -> Void) async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("gzip-\(UUID().uuidString)")
        let publicRoot = base.appendingPathComponent("public")
        try FileManager.default.createDirectory(at: publicRoot, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        try Data(script.utf8).write(to: publicRoot.appendingPathComponent("big.js"))
        try Data("export {}".utf8).write(to: publicRoot.appendingPathComponent("tiny.js"))
        try Data(repeating: 0x41, count: 4096).write(to: publicRoot.appendingPathComponent("logo.png"))
        let router = Router(context: AppRequestContext.self)
        WebRoutes(publicRoot: publicRoot, chartRoot: base).register(on: router)
        try await Application(router: router).test(.router) { client in try await body(client, publicRoot) }
    }

    /// Decodes with Debian's `gzip`, an implementation independent of the server's.
    static func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gz-\(UUID().uuidString).gz")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        guard ProcessExit.waitBlocking(process) == 0 else { throw CocoaError(.fileReadCorruptFile) }
        return [UInt8](data)
    }

    static func bytes(_ response: TestResponse) -> [UInt8] {
        var body = response.body
        return body.readBytes(length: body.readableBytes) ?? []
    }

    @Test("a client that accepts gzip gets the script gzip-encoded, and it decodes to the plain file")
    func negotiated() async throws {
        try await Self.withRoots { client, _ in
            let plain = try await client.execute(uri: "/ai-factory/big.js", method: .get)
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(plain.headers[.vary] == "Accept-Encoding")
            #expect(Self.bytes(plain) == Array(Self.script.utf8))

            let encoded = try await client.execute(uri: "/ai-factory/big.js", method: .get, headers: [.acceptEncoding: "gzip, deflate, br"])
            #expect(encoded.status == .ok)
            #expect(encoded.headers[.contentEncoding] == "gzip")
            #expect(encoded.headers[.vary] == "Accept-Encoding")
            #expect(encoded.headers[.contentType] == "text/javascript; charset=utf-8")
            let body = Self.bytes(encoded)
            #expect(encoded.headers[.contentLength] == String(body.count))
            #expect(body.count * 5 < Self.script.utf8.count, "\(body.count) of \(Self.script.utf8.count) bytes")
            #expect(try Self.gunzip(body) == Array(Self.script.utf8))
            #expect(encoded.headers[.eTag] != plain.headers[.eTag], "each representation has its own validator")
        }
    }

    @Test("refused, unknown or absent gzip gets the plain bytes", arguments: [
        "gzip;q=0", "identity", "br", "*;q=0", "gzip;q=0, *", "gzip;q=oops",
    ])
    func refused(acceptEncoding: String) async throws {
        try await Self.withRoots { client, _ in
            let response = try await client.execute(uri: "/ai-factory/big.js", method: .get, headers: [.acceptEncoding: acceptEncoding])
            #expect(response.status == .ok)
            #expect(response.headers[.contentEncoding] == nil, "\(acceptEncoding)")
            #expect(Self.bytes(response) == Array(Self.script.utf8))
        }
    }

    @Test("tiny files and already-compressed types go out plain; images carry no Vary")
    func notWorthIt() async throws {
        try await Self.withRoots { client, _ in
            let tiny = try await client.execute(uri: "/ai-factory/tiny.js", method: .get, headers: [.acceptEncoding: "gzip"])
            #expect(tiny.headers[.contentEncoding] == nil)
            #expect(tiny.text == "export {}")
            let image = try await client.execute(uri: "/ai-factory/logo.png", method: .get, headers: [.acceptEncoding: "gzip"])
            #expect(image.headers[.contentEncoding] == nil)
            #expect(image.headers[.vary] == nil)
            #expect(Self.bytes(image).count == 4096)
        }
    }

    @Test("If-None-Match answers 304 only for the representation it names")
    func validators() async throws {
        try await Self.withRoots { client, _ in
            let encoded = try await client.execute(uri: "/ai-factory/big.js", method: .get, headers: [.acceptEncoding: "gzip"])
            let etag = try #require(encoded.headers[.eTag])
            #expect(etag.hasSuffix("-gzip\""))
            let again = try await client.execute(uri: "/ai-factory/big.js", method: .get, headers: [.acceptEncoding: "gzip", .ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            let plainClient = try await client.execute(uri: "/ai-factory/big.js", method: .get, headers: [.ifNoneMatch: etag])
            #expect(plainClient.status == .ok, "a gzip validator must not stand for the plain bytes")
            #expect(Self.bytes(plainClient) == Array(Self.script.utf8))
        }
    }

    @Test("a changed file is compressed again, not served from the old copy")
    func newVersion() async throws {
        try await Self.withRoots { client, root in
            _ = try await client.execute(uri: "/ai-factory/big.js", method: .get, headers: [.acceptEncoding: "gzip"])
            let changed = Self.script + "export const added = 1;\n"
            try Data(changed.utf8).write(to: root.appendingPathComponent("big.js"))
            let response = try await client.execute(uri: "/ai-factory/big.js", method: .get, headers: [.acceptEncoding: "gzip"])
            #expect(try Self.gunzip(Self.bytes(response)) == Array(changed.utf8))
        }
    }

    @Test("Debian's Chart.js goes out at under half its size through the production router")
    func chartJS() async throws {
        let plainFile = WebAssets.chartJSRoot.appendingPathComponent("chart.min.js")
        let plain = try [UInt8](Data(contentsOf: plainFile))
        try await WebRoutesTests.withProductionRouter { client in
            let response = try await client.execute(uri: "/vendor/chart.js/chart.min.js", method: .get, headers: [.acceptEncoding: "gzip, deflate, br, zstd"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentEncoding] == "gzip")
            let body = Self.bytes(response)
            #expect(body.count * 2 < plain.count, "\(body.count) of \(plain.count) bytes")
            #expect(try Self.gunzip(body) == plain)
        }
    }

    @Test("ContentCoding reads Accept-Encoding as RFC 9110 says", arguments: [
        (nil, false), ("", false), ("gzip", true), ("GZIP", true), ("x-gzip", true), ("deflate, gzip;q=0.5", true),
        ("gzip;q=0", false), ("gzip; q=0.000", false), ("*", true), ("*;q=0", false), ("br, *;q=0.1", true),
        ("gzip;q=0, *", false), ("identity", false), ("gzip;q=bad", false),
    ] as [(String?, Bool)])
    func acceptEncoding(header: String?, accepted: Bool) {
        #expect(ContentCoding.acceptsGzip(header) == accepted)
    }

    @Test("CompressedFiles compresses each version once and stays within its capacity")
    func cache() throws {
        let cache = CompressedFiles(capacity: 2)
        var reads = 0
        let bytes = Array(Self.script.utf8)
        let key = CompressedFiles.Key(path: "/a.js", size: bytes.count, modified: 1)
        let first = try cache.gzipped(key) { reads += 1; return bytes }
        let second = try cache.gzipped(key) { reads += 1; return bytes }
        #expect(first == second && reads == 1)
        #expect(try cache.gzipped(.init(path: "/a.js", size: bytes.count, modified: 2)) { nil } == nil, "an unreadable file is nil")
        for index in 0..<5 {
            _ = try cache.gzipped(.init(path: "/\(index).js", size: 1, modified: 0)) { [0x61] }
        }
        #expect(cache.count <= 2)
        #expect(try Self.gunzip(Gzip.compress([])) == [], "empty input is a valid gzip member")
    }
}
