/// The fields of an OpenAI streaming chunk the generator needs (chat and completions).
struct StreamChunk: Decodable {
    struct Choice: Decodable {
        struct Delta: Decodable {
            var content: String?
            var reasoning_content: String?
        }
        var delta: Delta?
        var text: String?
    }
    struct Usage: Decodable {
        var completion_tokens: Int?
    }
    var choices: [Choice]?
    var usage: Usage?

    /// True when any choice carries output text (chat delta, reasoning delta or completion text).
    var hasContent: Bool {
        guard let choices else { return false }
        for choice in choices {
            if let text = choice.text, !text.isEmpty { return true }
            if let content = choice.delta?.content, !content.isEmpty { return true }
            if let reasoning = choice.delta?.reasoning_content, !reasoning.isEmpty { return true }
        }
        return false
    }
}
