import Foundation
import Hummingbird

/// `GET /openapi.json`: the API description, a resource of this target.
///
/// Kept true by `OpenAPITests`, which compares its paths and methods with the router's.
enum OpenAPIDocument {
    /// The document's bytes, read once.
    static let data: Data? = Bundle.module.url(forResource: "openapi", withExtension: "json").flatMap { try? Data(contentsOf: $0) }

    static func register(on router: Router<AppRequestContext>) {
        router.get("openapi.json") { _, _ -> Response in
            guard let data else { throw APIError.internalError() }
            return Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: data))
            )
        }
    }
}
