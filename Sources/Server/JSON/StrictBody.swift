import Foundation
import Hummingbird
import NIOFoundationEssentialsCompat

/// A request body type that names the fields it accepts, so unknown fields are refused.
///
/// A typo such as `"gpuCuont"` silently ignored would register a node with defaults; refusing
/// it with the field's name is the only behaviour a person can act on.
public protocol StrictBody: Decodable, Sendable {
    static var fields: Set<String> { get }
    /// Fields refused with a message of their own (field → reason), checked before unknown fields.
    static var refusedFields: [String: String] { get }
}

extension StrictBody {
    public static var refusedFields: [String: String] { [:] }
}

enum StrictJSON {
    /// Largest body accepted by JSON routes.
    static let maxBytes = 1 << 20

    /// 415 when the request declares a body type other than `application/json`, or sends a body
    /// without declaring one; `nil` when the type is acceptable.
    ///
    /// Why not parse whatever arrives: a cross-site `text/plain` form whose field name and value
    /// concatenate to JSON would otherwise be accepted (CSRF); `application/json` cannot be sent
    /// cross-site without a CORS preflight.
    static func contentTypeProblem(_ request: Request) -> APIError? {
        let declared = request.headers[.contentType]
        let hasBody = request.headers[.transferEncoding] != nil || (request.headers[.contentLength].flatMap { Int($0) } ?? 0) > 0
        guard declared != nil || hasBody else { return nil }
        let mediaType = declared?.split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType != "application/json" else { return nil }
        return APIError(.unsupportedMediaType, code: "unsupported_media_type",
                        message: "the request body must be sent as Content-Type: application/json" + (declared.map { ", not \($0)" } ?? ""))
    }

    /// Decodes `T` from the request body: 415 unless it is `application/json`, 413 when too
    /// large, 400 when not a JSON object, 422 naming the field when a field is unknown, missing or
    /// of the wrong type.
    static func decode<T: StrictBody>(_ type: T.Type, from request: Request) async throws -> T {
        if request.headers[.contentType] == nil {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type", message: "the request body must be sent as Content-Type: application/json")
        }
        if let problem = contentTypeProblem(request) { throw problem }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBytes)
        } catch {
            throw APIError(.contentTooLarge, code: "too_large", message: "request body exceeds \(maxBytes) bytes")
        }
        let data = Data(buffer: buffer)
        guard let object = try? JSONSerialization.jsonObject(with: data), let dictionary = object as? [String: Any] else {
            throw APIError.badRequest("request body must be a JSON object")
        }
        for key in dictionary.keys.sorted() {
            if let reason = T.refusedFields[key] { throw APIError.unprocessable(field: key, reason) }
        }
        for key in dictionary.keys.sorted() where !T.fields.contains(key) {
            throw APIError.unprocessable(field: key, "unknown field (accepted: \(T.fields.sorted().joined(separator: ", ")))")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw APIError.unprocessable(field: path(context.codingPath + [key]), "is required")
        } catch let DecodingError.typeMismatch(expected, context) {
            throw APIError.unprocessable(field: path(context.codingPath), "must be \(describe(expected))")
        } catch let DecodingError.valueNotFound(expected, context) {
            throw APIError.unprocessable(field: path(context.codingPath), "must be \(describe(expected)), not null")
        } catch let DecodingError.dataCorrupted(context) {
            throw APIError.unprocessable(field: path(context.codingPath), context.debugDescription)
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        default: "of type \(type)"
        }
    }
}

extension Encodable {
    /// A JSON response with sorted keys (stable for tests and diffs).
    func jsonResponse(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(self)
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
