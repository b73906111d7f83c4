/// Reads the two facts the generator needs from an OpenAI streaming chunk — does it carry output
/// text, and does it report `usage.completion_tokens` — without a full JSON decode.
///
/// A JSON decode per event was most of the generator's CPU (a 16-token request is 19 events), and
/// client CPU is both cost and timing error on a busy machine. The scan is exact for these fields:
/// inside a JSON string every `"` is escaped, so an unescaped `"content":"` can only be a key.
/// The structural check is deliberately light: an event must be one JSON object (`{…}`) or it is
/// counted as malformed SSE.
enum ChunkScanner {
    struct Result: Equatable {
        /// Some choice has non-empty `delta.content`, `delta.reasoning_content` or `text`.
        var hasContent: Bool
        /// `usage.completion_tokens`, when present.
        var completionTokens: Int?
    }

    private static let contentKeys: [[UInt8]] = [Array("\"content\"".utf8), Array("\"text\"".utf8), Array("\"reasoning_content\"".utf8)]
    private static let usageKey = Array("\"completion_tokens\"".utf8)

    /// `nil` when the data is not a JSON object.
    static func scan(_ bytes: [UInt8]) -> Result? {
        bytes.withUnsafeBufferPointer { scan($0) }
    }

    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Result? {
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        guard end - start >= 2, bytes[start] == UInt8(ascii: "{"), bytes[end - 1] == UInt8(ascii: "}") else { return nil }
        var result = Result(hasContent: false, completionTokens: nil)
        var index = start
        while index < end {
            guard bytes[index] == UInt8(ascii: "\"") else {
                index += 1
                continue
            }
            if !result.hasContent {
                for key in contentKeys where matches(key, in: bytes, at: index, end: end) {
                    if let value = valueStart(in: bytes, after: index + key.count, end: end),
                       bytes[value] == UInt8(ascii: "\""), value + 1 < end, bytes[value + 1] != UInt8(ascii: "\"") {
                        result.hasContent = true
                    }
                }
            }
            if matches(usageKey, in: bytes, at: index, end: end), var value = valueStart(in: bytes, after: index + usageKey.count, end: end) {
                var number = 0
                var digits = 0
                while value < end, bytes[value] >= UInt8(ascii: "0"), bytes[value] <= UInt8(ascii: "9"), digits < 12 {
                    number = number * 10 + Int(bytes[value] - UInt8(ascii: "0"))
                    value += 1
                    digits += 1
                }
                if digits > 0 { result.completionTokens = number }
            }
            // Skip the whole string (key or value), honouring escapes.
            index += 1
            while index < end, bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            index += 1
        }
        return result
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func matches(_ key: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> Bool {
        guard index + key.count <= end else { return false }
        for offset in 0..<key.count where bytes[index + offset] != key[offset] { return false }
        return true
    }

    /// Index of the first byte of the value after a key ending before `index` (`: value`).
    private static func valueStart(in bytes: UnsafeBufferPointer<UInt8>, after index: Int, end: Int) -> Int? {
        var i = index
        while i < end, isSpace(bytes[i]) { i += 1 }
        guard i < end, bytes[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        while i < end, isSpace(bytes[i]) { i += 1 }
        return i < end ? i : nil
    }
}
