import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Reads the model ids an OpenAI-compatible server serves (`GET <base>/v1/models`), so a caller
/// that names no model can test the first one (vLLM serves one model per server).
public enum ServedModels {
    /// The first `data[].id` of `<base>/v1/models`; `base` is the server root or its `/v1`.
    ///
    /// Redirects are never followed: a tenant controls the endpoint, and a `302` to another
    /// address would make the server fetch whatever lies there (request forgery). With `pinned`,
    /// the connection goes to that address only (the one `OutboundPolicy` approved).
    ///
    /// Throws `LoadTestError.invalidFlag(flag: "--model", …)` with a message that never repeats the
    /// URL or the upstream status (a status echoed to the tenant turns this into a port scanner)
    /// when the server cannot be reached, answers other than 200, or lists no model.
    public static func first(base: String, apiKey: String? = nil, timeout: Duration = .seconds(10),
                             pinned: PinnedAddress? = nil) async throws(LoadTestError) -> String {
        var root = base
        while root.hasSuffix("/") { root.removeLast() }
        if !root.hasSuffix("/v1") { root += "/v1" }
        var request = HTTPClientRequest(url: root + "/models")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        struct Listing: Decodable {
            struct Model: Decodable { var id: String }
            var data: [Model]
        }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        if let pinned { configuration.dnsOverride = [pinned.host: pinned.address] }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let outcome: Result<String, LoadTestError>
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
            if response.status == .ok {
                let body = try await response.body.collect(upTo: 1 << 20)
                if let id = try JSONDecoder().decode(Listing.self, from: Data(body.readableBytesView)).data.first?.id, !id.isEmpty {
                    outcome = .success(id)
                } else {
                    outcome = .failure(.invalidFlag(flag: "--model", message: "the endpoint's /v1/models lists no model; name a model"))
                }
            } else {
                outcome = .failure(.invalidFlag(flag: "--model", message: "the endpoint's /v1/models did not answer with a model list; name a model or check the node"))
            }
        } catch {
            outcome = .failure(.invalidFlag(flag: "--model", message: "the endpoint's /v1/models could not be read; name a model or check the node"))
        }
        try? await client.shutdown()
        return try outcome.get()
    }
}
