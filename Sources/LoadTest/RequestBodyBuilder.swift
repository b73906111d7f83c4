import Foundation

/// Renders OpenAI request bodies for one level, so each request only splices in its prompt.
///
/// Every body asks for streaming with `stream_options.include_usage` (the server reports exact
/// token counts in the last chunk) and pins the output length: `max_tokens` = `min_tokens` = OSL
/// and vLLM's `ignore_eos: true`, so a model that wants to stop early still produces OSL tokens
/// and the load is what the flags say.
public struct RequestBodyBuilder: Sendable {
    public let endpoint: Endpoint
    private let prefix: [UInt8]
    private let suffix: [UInt8]
    private let prompts: PromptSynthesizer

    public init(endpoint: Endpoint, model: String, inputTokens: Int, outputTokens: Int, seed: UInt64) {
        self.endpoint = endpoint
        prompts = PromptSynthesizer(words: inputTokens, seed: seed)
        let model = Self.jsonString(model)
        let tail = #""max_tokens":\#(outputTokens),"min_tokens":\#(outputTokens),"ignore_eos":true,"stream":true,"stream_options":{"include_usage":true}}"#
        switch endpoint {
        case .chat:
            prefix = Array(#"{"model":\#(model),"messages":[{"role":"user","content":""#.utf8)
            suffix = Array(#""}],"#.utf8) + Array(tail.utf8)
        case .completions:
            prefix = Array(#"{"model":\#(model),"prompt":""#.utf8)
            suffix = Array(#"","#.utf8) + Array(tail.utf8)
        }
    }

    /// Input length in words.
    public var inputTokens: Int { prompts.words }

    /// The JSON body for request `index` (prompts contain only words and digits: no escaping).
    public func body(index: Int) -> [UInt8] {
        let prompt = prompts.prompt(index: index)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(prefix.count + suffix.count + prompt.utf8.count)
        bytes += prefix
        bytes += prompt.utf8
        bytes += suffix
        return bytes
    }

    static func jsonString(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
