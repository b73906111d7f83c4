public import Foundation

/// One static file answer: where it lies on disk and how to label it.
///
/// Pure path logic, no I/O beyond `resolve`'s existence check, so the traversal rules are tested
/// without a server. A request path is accepted only when every component is a plain name:
/// no `..`, no `.`, no hidden (`.`-prefixed) name, no backslash, no NUL, after percent-decoding.
/// Anything else is "not found", never an error that tells the caller what exists.
public struct StaticFile: Sendable, Hashable {
    /// The file on disk.
    public var url: URL
    /// The `Content-Type` header value.
    public var contentType: String

    /// Content types by lower-cased file extension; anything else is `application/octet-stream`.
    public static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8",
        "json": "application/json; charset=utf-8",
        "map": "application/json; charset=utf-8",
        "svg": "image/svg+xml",
        "png": "image/png",
        "ico": "image/x-icon",
        "txt": "text/plain; charset=utf-8",
        "woff2": "font/woff2",
    ]

    /// The content type for a file name.
    public static func contentType(for name: String) -> String {
        let ext = (name as NSString).pathExtension.lowercased()
        return contentTypes[ext] ?? "application/octet-stream"
    }

    /// The path components of `relativePath` when each one is safe, else `nil`.
    ///
    /// `relativePath` is the part of the URL path after the mount point, possibly percent-encoded.
    public static func safeComponents(_ relativePath: String) -> [String]? {
        guard let decoded = relativePath.removingPercentEncoding else { return nil }
        let parts = decoded.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty else { return nil }
        for part in parts {
            guard !part.isEmpty, !part.hasPrefix("."), !part.contains("\\"), !part.contains("\0"), part.count <= 255 else {
                return nil
            }
        }
        return parts
    }

    /// The regular file under `root` that `relativePath` names, or `nil` (unsafe, missing, or a folder).
    ///
    /// Symbolic links inside `root` are followed (Debian's `chart.js` folder holds some), but a
    /// path can only name them through safe components, so it never climbs out of `root`.
    public static func resolve(root: URL, relativePath: String) -> StaticFile? {
        guard let parts = safeComponents(relativePath) else { return nil }
        var url = root
        for part in parts { url.appendPathComponent(part, isDirectory: false) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return nil
        }
        return StaticFile(url: url, contentType: contentType(for: url.lastPathComponent))
    }
}
