public import Hummingbird
import Foundation
import NIOCore

/// An error as OpenAI's API answers it (`{"error": {"message", "type", "param", "code"}}`), so
/// client libraries surface the message and honour `Retry-After` on 429.
public struct OpenAIError: Error, Sendable, HTTPResponseError {
    public var status: HTTPResponse.Status
    public var type: String
    public var code: String
    public var message: String
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, type: String, code: String, message: String, retryAfter: Int? = nil) {
        self.status = status
        self.type = type
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public var headers: HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json"]
        if let retryAfter { fields[.retryAfter] = String(retryAfter) }
        return fields
    }

    var body: String {
        let object: [String: Any] = ["error": ["message": message, "type": type, "param": NSNull(), "code": code]]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// The same error as one SSE event, for a stream that already started.
    var event: String { "data: \(body)\n\n" }

    static func unauthorized(_ message: String) -> OpenAIError {
        OpenAIError(.unauthorized, type: "invalid_request_error", code: "invalid_api_key", message: message)
    }
    static func forbidden(_ message: String) -> OpenAIError {
        OpenAIError(.forbidden, type: "invalid_request_error", code: "no_subscription", message: message)
    }
    static func invalid(_ message: String, code: String = "invalid_request") -> OpenAIError {
        OpenAIError(.badRequest, type: "invalid_request_error", code: code, message: message)
    }
    static func rateLimited(_ message: String, code: String, retryAfter: Int) -> OpenAIError {
        OpenAIError(.tooManyRequests, type: "rate_limit_error", code: code, message: message, retryAfter: retryAfter)
    }
    static func timeout(_ message: String) -> OpenAIError {
        OpenAIError(.gatewayTimeout, type: "timeout_error", code: "upstream_timeout", message: message)
    }
    static func unavailable(_ message: String) -> OpenAIError {
        OpenAIError(.badGateway, type: "api_error", code: "upstream_unavailable", message: message)
    }
}
