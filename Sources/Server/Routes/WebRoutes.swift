public import Foundation
import HTTPTypes
public import Hummingbird
public import Web

/// The page (`/ai-factory`, issue 6): static HTML/CSS/ES modules from the `Web` bundle, Chart.js
/// from Debian's `libjs-chart.js` under `/vendor/chart.js/`, and `/` redirecting to the page.
///
/// These are not API routes: they carry no identity (the page logs in through `/api/v1/session`)
/// and are left out of `/openapi.json` (`WebRoutes.pathPrefixes`). Every file is found on disk per
/// request through `StaticFile.resolve`, which rejects `..`, hidden names and encoded tricks, so
/// an unknown or unsafe path is a plain 404; text files go out gzip-encoded when the client
/// accepts it (compressed once per file version).
public struct WebRoutes: Sendable {
    /// Path prefixes these routes answer, for tests that compare the router with the API document.
    public static let pathPrefixes = ["/ai-factory", "/vendor/"]
    /// Exact paths these routes answer besides the prefixes.
    public static let paths: Set<String> = ["/"]

    /// The page's files (normally `WebAssets.root`); `nil` answers 404 for every page file.
    public var publicRoot: URL?
    /// Chart.js's folder (normally `WebAssets.chartJSRoot`).
    public var chartRoot: URL
    /// gzip-encoded copies of the files served, shared by every request.
    let compressed = CompressedFiles()

    public init(publicRoot: URL? = WebAssets.root, chartRoot: URL = WebAssets.chartJSRoot) {
        self.publicRoot = publicRoot
        self.chartRoot = chartRoot
    }

    public func register(on router: Router<AppRequestContext>) {
        router.get("/") { _, _ -> Response in
            Response(status: .found, headers: [.location: "/ai-factory", .cacheControl: "no-store"])
        }
        // Also answers `/ai-factory/`: the router ignores a trailing slash.
        router.get("ai-factory") { request, _ -> Response in
            try page(request)
        }
        router.get("ai-factory/**") { request, _ -> Response in
            let relative = Self.relativePath(request.uri.path, after: "/ai-factory/")
            guard let root = publicRoot, let relative, relative != "index.html",
                let file = StaticFile.resolve(root: root, relativePath: relative)
            else { throw APIError.notFound("file") }
            return try serve(file, request: request, cacheControl: "no-cache")
        }
        router.get("vendor/chart.js/**") { request, _ -> Response in
            guard let relative = Self.relativePath(request.uri.path, after: "/vendor/chart.js/"),
                let file = StaticFile.resolve(root: chartRoot, relativePath: relative)
            else { throw APIError.notFound("file") }
            return try serve(file, request: request, cacheControl: "public, max-age=86400")
        }
    }

    /// `index.html` with the page's security headers; never cached, so a new build shows at once.
    func page(_ request: Request) throws -> Response {
        guard let root = publicRoot, let file = StaticFile.resolve(root: root, relativePath: "index.html") else {
            throw APIError.notFound("page")
        }
        var response = try serve(file, request: request, cacheControl: "no-store")
        response.headers[.contentSecurityPolicy] = WebAssets.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.xFrameOptions] = "DENY"
        return response
    }

    /// The raw path after `prefix`, or `nil` when the request is not below it.
    static func relativePath(_ path: String, after prefix: String) -> String? {
        guard path.hasPrefix(prefix) else { return nil }
        let rest = String(path.dropFirst(prefix.count))
        return rest.isEmpty ? nil : rest
    }

    /// The file's bytes with its content type, cache policy and a weak validator (size + mtime);
    /// a matching `If-None-Match` answers 304 with no body.
    ///
    /// Text, scripts, JSON and SVG of at least `minimumGzipSize` bytes go out gzip-encoded to a
    /// client that accepts it (each version compressed once, `CompressedFiles`), with their own
    /// validator and `Vary: Accept-Encoding` so no cache hands one representation to a client
    /// that asked for the other.
    func serve(_ file: StaticFile, request: Request, cacheControl: String) throws -> Response {
        let attributes = try? FileManager.default.attributesOfItem(atPath: file.url.path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let compressible = ContentCoding.isCompressible(contentType: file.contentType)
        let gzip = compressible && size >= Self.minimumGzipSize && ContentCoding.acceptsGzip(request.headers[.acceptEncoding])
        let version = "\(String(size, radix: 16))-\(String(Int(modified), radix: 16))"
        let plainETag = "W/\"\(version)\""
        let etag = gzip ? "W/\"\(version)-gzip\"" : plainETag
        var headers: HTTPFields = [
            .contentType: file.contentType,
            .cacheControl: cacheControl,
            .eTag: etag,
            .xContentTypeOptions: "nosniff",
        ]
        if compressible { headers[.vary] = "Accept-Encoding" }
        if request.headers[.ifNoneMatch] == etag {
            return Response(status: .notModified, headers: headers)
        }
        let read = { FileManager.default.contents(atPath: file.url.path).map { [UInt8]($0) } }
        var encoded: [UInt8]?
        if gzip {
            do {
                guard let bytes = try compressed.gzipped(.init(path: file.url.path, size: size, modified: modified), read: read) else {
                    throw APIError.notFound("file")
                }
                encoded = bytes
                headers[.contentEncoding] = "gzip"
            } catch is Gzip.Failure {
                // zlib failed: the plain bytes under the plain validator.
                headers[.eTag] = plainETag
            }
        }
        guard let body = encoded ?? read() else { throw APIError.notFound("file") }
        headers[.contentLength] = String(body.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Below this many bytes gzip's 18-byte frame and the CPU outweigh what it saves.
    static let minimumGzipSize = 256
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
