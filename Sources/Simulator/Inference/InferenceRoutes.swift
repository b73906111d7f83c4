public import Hummingbird
import Foundation
import NIOCore
import NIOFoundationCompat

/// Registers the simulated OpenAI-compatible inference API of every vLLM node on `router`:
///
/// - `GET /nodes/<node>/v1/models`: the node's served model.
/// - `POST /nodes/<node>/v1/chat/completions`, `POST /nodes/<node>/v1/completions`: streaming
///   (SSE, one token per event, `usage` in the last chunk, then `data: [DONE]`) or not; timed by
///   the node's `InferenceProfile` with real sleeps; 429 when the engine's queue is full.
/// - `GET /nodes/<node>/v1/stats`: the server-side truth (`InferenceStats`);
///   `DELETE` forgets it, so a benchmark can measure one window.
///
/// Each is also served under `/nodes/<node>/vllm/v1/…`, next to the node's vLLM `/metrics`.
///
/// Unknown nodes and nodes without vLLM answer 404; a model name other than the node's, 404
/// (as vLLM does); an unreadable body, 400. Error bodies follow OpenAI's `{"error": {…}}`.
public func addInferenceRoutes<Context: RequestContext>(to router: Router<Context>, farm: InferenceFarm) {
    // Also under the vLLM metrics root (`/nodes/<node>/vllm/v1/...`): the server derives a node's
    // OpenAI base URL from its registered vLLM address and path, as on a real vLLM (one port).
    for prefix in ["nodes/:node/v1", "nodes/:node/vllm/v1"] {
        router.get("\(prefix)/models") { _, context in
            let engine = try inferenceEngine(farm, context)
            let body = #"{"object":"list","data":[{"id":\#(jsonQuoted(engine.model)),"object":"model","created":0,"owned_by":"vllm","root":\#(jsonQuoted(engine.model)),"parent":null}]}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("\(prefix)/stats") { _, context in
            let engine = try inferenceEngine(farm, context)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(await engine.stats())
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.delete("\(prefix)/stats") { _, context in
            let engine = try inferenceEngine(farm, context)
            await engine.resetStats()
            return Response(status: .noContent)
        }
        router.post("\(prefix)/chat/completions") { request, context in
            try await complete(request, context: context, farm: farm, kind: .chat)
        }
        router.post("\(prefix)/completions") { request, context in
            try await complete(request, context: context, farm: farm, kind: .completion)
        }
    }
}

private func inferenceEngine(_ farm: InferenceFarm, _ context: some RequestContext) throws -> InferenceEngine {
    let node = try context.parameters.require("node")
    guard let engine = farm.engine(node: node) else {
        throw HTTPError(.notFound, message: "node '\(node)' is unknown or runs no vLLM")
    }
    return engine
}

private func complete(_ request: Request, context: some RequestContext, farm: InferenceFarm, kind: SSEChunks.Kind) async throws -> Response {
    // The truth is measured at the socket when the server's pipeline has the `WireClock` handler.
    let received = farm.wireClock.received(request) ?? ContinuousClock.now
    let engine = try inferenceEngine(farm, context)
    let bytes = try await request.body.collect(upTo: 8 << 20)
    let body: InferenceRequest
    do {
        body = try JSONDecoder().decode(InferenceRequest.self, from: bytes)
    } catch {
        return openAIError(.badRequest, type: "BadRequestError", message: "the request body is not a valid \(kind == .chat ? "chat" : "completions") request")
    }
    if let model = body.model, model != engine.model {
        return openAIError(.notFound, type: "NotFoundError", message: "The model `\(model)` does not exist.")
    }
    if kind == .chat, body.messages == nil {
        return openAIError(.badRequest, type: "BadRequestError", message: "messages is required")
    }
    if kind == .completion, body.prompt == nil {
        return openAIError(.badRequest, type: "BadRequestError", message: "prompt is required")
    }
    let isl = body.inputTokens
    let osl = body.outputTokens
    guard let admission = await engine.admit(inputTokens: isl, outputTokens: osl, prefix: kind == .chat ? "chatcmpl" : "cmpl") else {
        var response = openAIError(.tooManyRequests, type: "RateLimitError", message: "the engine's queue is full; retry later")
        response.headers[.retryAfter] = "1"
        return response
    }
    let admitted = ContinuousClock.now
    let profile = engine.profile
    let firstToken = admitted + .seconds(profile.ttft(inputTokens: isl, running: admission.running))
    let itl = Duration.seconds(profile.itl(running: admission.running))
    let chunks = SSEChunks(kind: kind, id: admission.id, model: engine.model)

    @Sendable func timing(first: ContinuousClock.Instant, last: ContinuousClock.Instant, end: ContinuousClock.Instant) -> InferenceTiming {
        InferenceTiming(
            id: admission.id, ttft_ms: milliseconds(first - received),
            itl_ms: osl > 1 ? milliseconds(last - first) / Double(osl - 1) : nil,
            e2e_ms: milliseconds(end - received), queue_ms: milliseconds(admitted - received),
            input_tokens: isl, output_tokens: osl)
    }

    guard body.stream == true else {
        let last = firstToken + itl * (osl - 1)
        do {
            try await Task.sleep(until: last, clock: .continuous)
        } catch {
            await engine.finish(inputTokens: isl, outputTokens: osl, timing: nil, generated: 0)
            throw error
        }
        await engine.finish(inputTokens: isl, outputTokens: osl, timing: timing(first: firstToken, last: last, end: .now), generated: osl)
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: chunks.complete(inputTokens: isl, outputTokens: osl)))
    }

    return Response(
        status: .ok,
        headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
        body: ResponseBody { writer in
            var generated = 0
            do {
                try await Task.sleep(until: firstToken, clock: .continuous)
                let first = ContinuousClock.now
                var last = first
                try await writer.write(chunks.opening)
                generated = 1
                for index in 1..<osl {
                    try await Task.sleep(until: firstToken + itl * index, clock: .continuous)
                    last = .now
                    try await writer.write(chunks.token)
                    generated += 1
                }
                try await writer.write(chunks.closing(inputTokens: isl, outputTokens: osl))
                try await writer.finish(nil)
                // The first token as it left for the socket, when the pipeline stamped it.
                let wireFirst = farm.wireClock.firstBodyFlushed(respondingTo: request).flatMap { $0 >= first ? $0 : nil } ?? first
                await engine.finish(inputTokens: isl, outputTokens: osl, timing: timing(first: wireFirst, last: last, end: .now), generated: generated)
            } catch {
                await engine.finish(inputTokens: isl, outputTokens: osl, timing: nil, generated: generated)
                throw error
            }
        })
}

private func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}

private func openAIError(_ status: HTTPResponse.Status, type: String, message: String) -> Response {
    let body = #"{"error":{"message":\#(jsonQuoted(message)),"type":"\#(type)","param":null,"code":\#(status.code)}}"#
    return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
}

func jsonQuoted(_ text: String) -> String {
    let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
    return String(decoding: data, as: UTF8.self)
}
