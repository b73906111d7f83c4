public import Hummingbird
import NIOCore

extension Gateway {
    /// The gateway's routes: the OpenAI API it proxies, its `/metrics` and `/healthz`.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("v1/chat/completions") { request, _ in try await complete(request, path: "/v1/chat/completions") }
        router.post("v1/completions") { request, _ in try await complete(request, path: "/v1/completions") }
        router.get("v1/models") { request, _ in try await models(request) }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        router.get("healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        return router
    }
}
