import Hummingbird
import NIOCore

/// A scripted OpenAI-compatible server with exact timings, for end-to-end generator tests.
///
/// Every route lives under a prefix naming its behaviour (`/ok/v1/chat/completions`, …), so one
/// server serves every case. Timings use absolute deadlines from the request's arrival, so a
/// late wake-up never accumulates into the following tokens.
enum ScriptedServer {
    static let ttft = Duration.milliseconds(50)
    static let itl = Duration.milliseconds(10)
    static let tokens = 10

    static func chunk(_ text: String) -> String {
        #"data: {"id":"x","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"\#(text)"},"finish_reason":null}]}"# + "\n\n"
    }
    static func completionChunk(_ text: String) -> String {
        #"data: {"id":"x","object":"text_completion","model":"m","choices":[{"index":0,"text":"\#(text)","finish_reason":null}]}"# + "\n\n"
    }
    static let role = #"data: {"id":"x","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"# + "\n\n"
    static let closing = #"data: {"id":"x","object":"chat.completion.chunk","model":"m","choices":[],"usage":{"prompt_tokens":8,"completion_tokens":10,"total_tokens":18}}"# + "\n\n" + "data: [DONE]\n\n"

    struct Broken: Error {}

    static func stream(_ write: @escaping @Sendable (inout any ResponseBodyWriter) async throws -> Void) -> Response {
        Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody(write))
    }

    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("ok/v1/chat/completions") { _, _ in
            let start = ContinuousClock.now
            return stream { writer in
                try await Task.sleep(until: start + ttft, clock: .continuous)
                try await writer.write(ByteBuffer(string: role + chunk(" t")))
                for index in 1..<tokens {
                    try await Task.sleep(until: start + ttft + itl * index, clock: .continuous)
                    try await writer.write(ByteBuffer(string: chunk(" t")))
                }
                try await writer.write(ByteBuffer(string: closing))
                try await writer.finish(nil)
            }
        }
        router.post("ok/v1/completions") { _, _ in
            let start = ContinuousClock.now
            return stream { writer in
                try await Task.sleep(until: start + ttft, clock: .continuous)
                for index in 0..<tokens {
                    try await Task.sleep(until: start + ttft + itl * index, clock: .continuous)
                    try await writer.write(ByteBuffer(string: completionChunk(" t")))
                }
                // No usage: the generator counts content events.
                try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                try await writer.finish(nil)
            }
        }
        router.post("merged/v1/chat/completions") { _, _ in
            stream { writer in
                try await Task.sleep(for: ttft)
                // Every event in one write: one TCP segment on loopback.
                try await writer.write(ByteBuffer(string: role + String(repeating: chunk(" t"), count: tokens) + closing))
                try await writer.finish(nil)
            }
        }
        router.post("e500/v1/chat/completions") { _, _ in Response(status: .internalServerError) }
        router.post("e429/v1/chat/completions") { _, _ in Response(status: .tooManyRequests) }
        router.post("cut/v1/chat/completions") { _, _ in
            stream { writer in
                try await writer.write(ByteBuffer(string: role + chunk(" t") + chunk(" t")))
                try await Task.sleep(for: .milliseconds(5))
                throw Broken()
            }
        }
        router.post("hang/v1/chat/completions") { _, _ in
            // The head, then nothing for longer than the tests' request timeout.
            stream { writer in
                try await Task.sleep(for: .milliseconds(1500))
                try await writer.finish(nil)
            }
        }
        router.post("bad/v1/chat/completions") { _, _ in
            stream { writer in
                try await writer.write(ByteBuffer(string: chunk(" t") + "data: {not json\n\n" + closing))
                try await writer.finish(nil)
            }
        }
        return router
    }
}
