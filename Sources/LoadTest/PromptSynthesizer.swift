/// Builds synthetic prompts of an exact length in words.
///
/// Tokens are counted as whitespace-separated words (docs/LOADTEST.md): the generator carries no
/// tokenizer, and the simulator counts the same way, so ISL is exact there and close (±30 %,
/// model-dependent) on a real server. Each prompt starts with its request number, so no two
/// prompts share a prefix a server's prefix cache could reuse across requests.
public struct PromptSynthesizer: Sendable {
    static let vocabulary: [String] = [
        "the", "model", "serves", "tokens", "under", "load", "while", "every", "request", "measures",
        "latency", "across", "nodes", "cache", "blocks", "grow", "with", "context", "batch", "size",
        "limits", "throughput", "quickly", "before", "queue", "fills", "and", "engine", "schedules",
        "prefill", "decode", "steps", "memory", "bandwidth", "bounds", "speed", "of", "each", "token",
        "stream", "events", "arrive", "in", "order", "so", "clients", "time", "them", "carefully",
        "when", "servers", "saturate", "tail", "rises", "sharply", "as", "knee", "passes", "capacity",
        "planning", "needs", "honest", "numbers", "today",
    ]

    /// Words after the request number, fixed per synthesizer (seeded).
    private let body: String
    public let words: Int

    /// - Parameters:
    ///   - words: prompt length in words (≥ 1), including the leading request number.
    ///   - seed: the same seed gives the same prompt text.
    public init(words: Int, seed: UInt64) {
        self.words = max(1, words)
        var rng = SplitMix64(seed: seed)
        var text = ""
        text.reserveCapacity(self.words * 8)
        for _ in 1..<self.words {
            text += " "
            text += Self.vocabulary[Int(rng.next() % UInt64(Self.vocabulary.count))]
        }
        body = text
    }

    /// The prompt for request `index`: its number followed by the seeded words.
    public func prompt(index: Int) -> String {
        String(index) + body
    }
}
