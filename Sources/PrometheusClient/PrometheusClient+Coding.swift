import Foundation

extension PrometheusClient {
    /// Decodes the envelope and returns its `data`, mapping every failure onto the client's errors.
    ///
    /// An error envelope inside a 200 answer becomes `.rejected(status: 200, …)`; anything that is
    /// not the documented shape becomes `.malformedResponse` with the decoding path (never the body,
    /// which may be large or carry another tenant's data) for the log.
    static func decodePayload<Payload: Decodable>(_ type: Payload.Type, from body: Data) throws(PrometheusClientError) -> Payload {
        let envelope: APIEnvelope<Payload>
        do {
            envelope = try JSONDecoder().decode(APIEnvelope<Payload>.self, from: body)
        } catch {
            throw .malformedResponse(describe(error))
        }
        guard envelope.status == "success" else {
            throw .rejected(status: 200, errorType: envelope.errorType ?? "error", message: envelope.error ?? "")
        }
        guard let data = envelope.data else { throw .malformedResponse("success without data") }
        return data
    }

    /// A short, body-free account of a decoding failure.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not JSON" }
        let context: DecodingError.Context
        switch error {
        case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c): context = c
        @unknown default: return "undecodable"
        }
        let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
    }

    /// `application/x-www-form-urlencoded`, escaping everything outside RFC 3986's unreserved set.
    static func formEncode(_ pairs: [(String, String)]) -> String {
        pairs.map { name, value in escape(name) + "=" + escape(value) }.joined(separator: "&")
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }

    /// A time as decimal seconds since the epoch with millisecond precision (`1712345678.123`).
    static func format(_ time: Date) -> String {
        let millis = (time.timeIntervalSince1970 * 1000).rounded()
        guard let exact = Int64(exactly: millis) else { return "0" }
        return formatMillis(exact)
    }

    /// A duration as decimal seconds (`15`, `0.25`), the form every backend accepts for `step` and `timeout`.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return formatMillis(seconds &* 1000 &+ attoseconds / 1_000_000_000_000_000)
    }

    private static func formatMillis(_ millis: Int64) -> String {
        let sign = millis < 0 ? "-" : ""
        let magnitude = millis.magnitude
        let whole = magnitude / 1000, fraction = magnitude % 1000
        if fraction == 0 { return "\(sign)\(whole)" }
        let digits = String(fraction)
        var padded = String(repeating: "0", count: 3 - digits.count) + digits
        while padded.hasSuffix("0") { padded.removeLast() }
        return "\(sign)\(whole).\(padded)"
    }
}
