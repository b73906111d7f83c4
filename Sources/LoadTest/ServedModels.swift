import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Reads the model ids an OpenAI-compatible server serves (`GET <base>/v1/models`), so a caller
/// that names no model can test the first one (vLLM serves one model per server).
public enum ServedModels {
    /// The first `data[].id` of `<base>/v1/models`; `base` is the server root or its `/v1`.
    ///
    /// Throws `LoadTestError.invalidFlag(flag: "--model", …)` with a message that never repeats the
    /// URL when the server cannot be reached, answers other than 200, or lists no model.
    public static func first(base: String, apiKey: String? = nil, timeout: Duration = .seconds(10)) async throws(LoadTestError) -> String {
        var root = base
        while root.hasSuffix("/") { root.removeLast() }
        if !root.hasSuffix("/v1") { root += "/v1" }
        var request = HTTPClientRequest(url: root + "/models")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        struct Listing: Decodable {
            struct Model: Decodable { var id: String }
            var data: [Model]
        }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
            guard response.status == .ok else {
                throw LoadTestError.invalidFlag(flag: "--model", message: "the endpoint's /v1/models answered \(response.status.code); name a model")
            }
            let body = try await response.body.collect(upTo: 1 << 20)
            guard let id = try JSONDecoder().decode(Listing.self, from: Data(body.readableBytesView)).data.first?.id, !id.isEmpty else {
                throw LoadTestError.invalidFlag(flag: "--model", message: "the endpoint's /v1/models lists no model; name a model")
            }
            return id
        } catch let error as LoadTestError {
            throw error
        } catch {
            throw .invalidFlag(flag: "--model", message: "the endpoint's /v1/models could not be read; name a model or check the node")
        }
    }
}
