import NIOCore

/// The pre-rendered SSE events of one response (vLLM's chunk shapes), so streaming a token is
/// one buffer write, not a JSON encoding.
struct SSEChunks: Sendable {
    enum Kind: Sendable, Equatable {
        case chat, completion
    }

    let kind: Kind
    let id: String
    let model: String
    /// The first write: for chat, the role event (empty content) and the first token; for
    /// completions, the first token.
    let opening: ByteBuffer
    /// One token event (` token`).
    let token: ByteBuffer

    init(kind: Kind, id: String, model: String) {
        self.kind = kind
        self.id = id
        self.model = model
        let quotedModel = jsonQuoted(model)
        switch kind {
        case .chat:
            let head = #"{"id":"\#(id)","object":"chat.completion.chunk","created":0,"model":\#(quotedModel),"choices":[{"index":0,"delta":"#
            let role = "data: " + head + #"{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}"# + "\n\n"
            let tokenText = "data: " + head + #"{"content":" token"},"logprobs":null,"finish_reason":null}]}"# + "\n\n"
            token = ByteBuffer(string: tokenText)
            opening = ByteBuffer(string: role + tokenText)
        case .completion:
            let tokenText = "data: " + #"{"id":"\#(id)","object":"text_completion","created":0,"model":\#(quotedModel),"choices":[{"index":0,"text":" token","logprobs":null,"finish_reason":null,"stop_reason":null}]}"# + "\n\n"
            token = ByteBuffer(string: tokenText)
            opening = token
        }
    }

    private func usage(_ input: Int, _ output: Int) -> String {
        #"{"prompt_tokens":\#(input),"total_tokens":\#(input + output),"completion_tokens":\#(output)}"#
    }

    /// The finish event (`finish_reason: length`), the usage event and `[DONE]`, in one write.
    func closing(inputTokens: Int, outputTokens: Int) -> ByteBuffer {
        let quotedModel = jsonQuoted(model)
        let object = kind == .chat ? "chat.completion.chunk" : "text_completion"
        let finish = kind == .chat
            ? #"{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}"#
            : #"{"index":0,"text":"","logprobs":null,"finish_reason":"length","stop_reason":null}"#
        let text = "data: " + #"{"id":"\#(id)","object":"\#(object)","created":0,"model":\#(quotedModel),"choices":[\#(finish)]}"# + "\n\n"
            + "data: " + #"{"id":"\#(id)","object":"\#(object)","created":0,"model":\#(quotedModel),"choices":[],"usage":\#(usage(inputTokens, outputTokens))}"# + "\n\n"
            + "data: [DONE]\n\n"
        return ByteBuffer(string: text)
    }

    /// The non-streaming answer.
    func complete(inputTokens: Int, outputTokens: Int) -> ByteBuffer {
        let text = String(repeating: " token", count: outputTokens)
        let quotedModel = jsonQuoted(model)
        let json: String
        switch kind {
        case .chat:
            json = #"{"id":"\#(id)","object":"chat.completion","created":0,"model":\#(quotedModel),"choices":[{"index":0,"message":{"role":"assistant","content":"\#(text)"},"logprobs":null,"finish_reason":"length"}],"usage":\#(usage(inputTokens, outputTokens))}"#
        case .completion:
            json = #"{"id":"\#(id)","object":"text_completion","created":0,"model":\#(quotedModel),"choices":[{"index":0,"text":"\#(text)","logprobs":null,"finish_reason":"length","stop_reason":null}],"usage":\#(usage(inputTokens, outputTokens))}"#
        }
        return ByteBuffer(string: json)
    }
}
