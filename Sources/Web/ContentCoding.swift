import Foundation

/// `Accept-Encoding` negotiation (RFC 9110 §12.5.3), reduced to the one coding the server offers.
public enum ContentCoding {
    /// Whether a client sending `acceptEncoding` takes a gzip-encoded body.
    ///
    /// `gzip` (or its alias `x-gzip`) with a non-zero weight says yes, and an explicit zero says
    /// no; otherwise `*` with a non-zero weight says yes. No header means identity: a client that
    /// says nothing gets the plain bytes, which every client can read.
    public static func acceptsGzip(_ acceptEncoding: String?) -> Bool {
        guard let acceptEncoding else { return false }
        var wildcard: Bool?
        for element in acceptEncoding.split(separator: ",") {
            let parts = element.split(separator: ";")
            guard let first = parts.first else { continue }
            let coding = first.trimmingCharacters(in: .whitespaces).lowercased()
            var weight = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "q" {
                    // A malformed weight counts as zero: refusing compression is always safe.
                    weight = Double(pair[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            switch coding {
            case "gzip", "x-gzip": return weight > 0
            case "*": wildcard = weight > 0
            default: continue
            }
        }
        return wildcard ?? false
    }

    /// Whether a body of `contentType` shrinks under gzip (text, scripts, JSON, SVG); images and
    /// fonts are already compressed.
    public static func isCompressible(contentType: String) -> Bool {
        let type = contentType.lowercased()
        return type.hasPrefix("text/") || type.hasPrefix("application/json") || type.hasPrefix("application/javascript")
            || type.hasPrefix("image/svg+xml")
    }
}
