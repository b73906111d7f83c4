/// The fields of an OpenAI chat or completions request the simulator honours.
///
/// Tokens are whitespace-separated words (the load generator counts the same way). The output
/// length is exactly `max_tokens` (or `max_completion_tokens`, default 16): the simulated model
/// never stops early, as if `ignore_eos` were always set.
struct InferenceRequest: Decodable, Sendable {
    /// `content` as a string or as a list of `{type, text}` parts.
    struct Content: Decodable, Sendable {
        var text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self.text = text
            } else {
                struct Part: Decodable { var text: String? }
                text = try container.decode([Part].self).compactMap(\.text).joined(separator: " ")
            }
        }
    }
    struct Message: Decodable, Sendable {
        var content: Content?
    }
    /// `prompt` as a string or a list of strings.
    struct Prompt: Decodable, Sendable {
        var text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self.text = text
            } else {
                text = try container.decode([String].self).joined(separator: " ")
            }
        }
    }

    var model: String?
    var messages: [Message]?
    var prompt: Prompt?
    var max_tokens: Int?
    var max_completion_tokens: Int?
    var stream: Bool?

    /// Prompt length in words.
    var inputTokens: Int {
        var words = 0
        func count(_ text: String) {
            var inWord = false
            for byte in text.utf8 {
                let space = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
                if !space && !inWord { words += 1 }
                inWord = !space
            }
        }
        if let prompt { count(prompt.text) }
        for message in messages ?? [] { if let content = message.content { count(content.text) } }
        return words
    }

    /// Tokens to generate (1…65536).
    var outputTokens: Int {
        min(65_536, max(1, max_tokens ?? max_completion_tokens ?? 16))
    }
}
