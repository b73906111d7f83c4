import Testing
@testable import LoadTest

@Suite struct ChunkScannerTests {
    @Test("reads content and usage from the chunk shapes servers send", arguments: [
        (#"{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#, false, nil),
        (#"{"choices":[{"index":0,"delta":{"content":" hi"},"finish_reason":null}]}"#, true, nil),
        (#"{"choices":[{"index":0,"delta":{"content":null,"reasoning_content":"think"}}]}"#, true, nil),
        (#"{"choices":[{"index":0,"text":" a","finish_reason":null}]}"#, true, nil),
        (#"{"choices":[{"index":0,"text":"","finish_reason":"length"}]}"#, false, nil),
        (#"{"choices":[],"usage":{"prompt_tokens":8,"completion_tokens":256,"total_tokens":264}}"#, false, 256),
        ("{\n  \"choices\": [{\"delta\": {\"content\" : \"x\"}}],\n  \"usage\": {\"completion_tokens\" : 7}\n}", true, 7),
        (#"{"choices":[{"delta":{"content":"say \"content\":\"\" ok"}}]}"#, true, nil),
        (#"{"choices":[{"delta":{"content":"\"\" quoted"}}]}"#, true, nil),
    ] as [(String, Bool, Int?)])
    func scans(json: String, content: Bool, tokens: Int?) throws {
        let result = try #require(ChunkScanner.scan(Array(json.utf8)))
        #expect(result.hasContent == content)
        #expect(result.completionTokens == tokens)
    }

    @Test("data that is not a JSON object is malformed", arguments: ["{not json", "hello", "", "[1,2]", "{"])
    func malformed(data: String) {
        #expect(ChunkScanner.scan(Array(data.utf8)) == nil)
    }
}
