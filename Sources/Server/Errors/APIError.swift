import Foundation
public import Hummingbird

/// The one error type routes throw: an HTTP status, a stable machine `code` and a message for people.
///
/// Every library error is mapped into this in one place (`APIError+*.swift`), so responses never
/// carry upstream URLs, SQL, stack traces or key material. Body shape, kept compatible with
/// Hummingbird's `HTTPError`: `{"error":{"code":…,"message":…,"requestId":…}}`.
public struct APIError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var requestId: String?
        }
        var error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(error: .init(code: code, message: message, requestId: context.id))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(body)
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension APIError {
    static func unauthorized(_ message: String = "missing or invalid credentials: send Authorization: Bearer <api key> or log in") -> APIError {
        APIError(.unauthorized, code: "unauthorized", message: message, headers: [.wwwAuthenticate: "Bearer"])
    }
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, code: "forbidden", message: message) }
    /// Used for anything the caller may not see: it must not confirm that the thing exists.
    static func notFound(_ what: String) -> APIError { APIError(.notFound, code: "not_found", message: "\(what) not found") }
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, code: "bad_request", message: message) }
    static func unprocessable(field: String, _ reason: String) -> APIError {
        APIError(.unprocessableContent, code: "invalid_field", message: "\(field): \(reason)")
    }
    static func conflict(_ message: String) -> APIError { APIError(.conflict, code: "conflict", message: message) }
    static func tooManyRequests(retryAfter seconds: Int) -> APIError {
        APIError(.tooManyRequests, code: "rate_limited", message: "too many failed attempts; retry in \(seconds) s", headers: [.retryAfter: "\(seconds)"])
    }
    static func unavailable(_ message: String) -> APIError { APIError(.serviceUnavailable, code: "unavailable", message: message) }
    static func internalError() -> APIError { APIError(.internalServerError, code: "internal", message: "internal error") }
}
