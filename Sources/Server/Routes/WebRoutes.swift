import Foundation
import HTTPTypes
import Hummingbird
import Web

/// The page (`/ai-factory`, issue 6): static HTML/CSS/ES modules from the `Web` bundle, Chart.js
/// from Debian's `libjs-chart.js` under `/vendor/chart.js/`, and `/` redirecting to the page.
///
/// These are not API routes: they carry no identity (the page logs in through `/api/v1/session`)
/// and are left out of `/openapi.json` (`WebRoutes.pathPrefixes`). Every file is read from disk per
/// request through `StaticFile.resolve`, which rejects `..`, hidden names and encoded tricks, so
/// an unknown or unsafe path is a plain 404.
public struct WebRoutes: Sendable {
    /// Path prefixes these routes answer, for tests that compare the router with the API document.
    public static let pathPrefixes = ["/ai-factory", "/vendor/"]
    /// Exact paths these routes answer besides the prefixes.
    public static let paths: Set<String> = ["/"]

    /// The page's files (normally `WebAssets.root`); `nil` answers 404 for every page file.
    public var publicRoot: URL?
    /// Chart.js's folder (normally `WebAssets.chartJSRoot`).
    public var chartRoot: URL

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
            return try Self.serve(file, request: request, cacheControl: "no-cache")
        }
        router.get("vendor/chart.js/**") { request, _ -> Response in
            guard let relative = Self.relativePath(request.uri.path, after: "/vendor/chart.js/"),
                let file = StaticFile.resolve(root: chartRoot, relativePath: relative)
            else { throw APIError.notFound("file") }
            return try Self.serve(file, request: request, cacheControl: "public, max-age=86400")
        }
    }

    /// `index.html` with the page's security headers; never cached, so a new build shows at once.
    func page(_ request: Request) throws -> Response {
        guard let root = publicRoot, let file = StaticFile.resolve(root: root, relativePath: "index.html") else {
            throw APIError.notFound("page")
        }
        var response = try Self.serve(file, request: request, cacheControl: "no-store")
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
    static func serve(_ file: StaticFile, request: Request, cacheControl: String) throws -> Response {
        let attributes = try? FileManager.default.attributesOfItem(atPath: file.url.path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let etag = "W/\"\(String(size, radix: 16))-\(String(Int(modified), radix: 16))\""
        var headers: HTTPFields = [
            .contentType: file.contentType,
            .cacheControl: cacheControl,
            .eTag: etag,
            .xContentTypeOptions: "nosniff",
        ]
        if request.headers[.ifNoneMatch] == etag {
            return Response(status: .notModified, headers: headers)
        }
        guard let data = FileManager.default.contents(atPath: file.url.path) else {
            throw APIError.notFound("file")
        }
        headers[.contentLength] = String(data.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
