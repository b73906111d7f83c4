import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

extension HTTPFields {
    static func bearer(_ key: String?) -> HTTPFields {
        guard let key else { return [:] }
        return [.authorization: "Bearer \(key)"]
    }

    static func json(bearer key: String?) -> HTTPFields {
        var fields = HTTPFields.bearer(key)
        fields[.contentType] = "application/json"
        return fields
    }
}

extension TestResponse {
    /// The body parsed as JSON (object or array).
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
    var text: String { String(buffer: body) }
    /// `error.code` of an APIError body.
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    var errorMessage: String? { (object["error"] as? [String: Any])?["message"] as? String }
}

func body(_ object: [String: Any]) -> ByteBuffer {
    ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
}
