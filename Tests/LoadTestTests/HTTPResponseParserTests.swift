import Testing
@testable import LoadTest

/// The plain-http client's response parser, fed whole and byte by byte (a read can split a
/// response anywhere).
@Suite struct HTTPResponseParserTests {
    enum Part: Equatable {
        case head(Int)
        case body(String)
        case end(keepAlive: Bool)
    }

    /// Feeds `text` in pieces of `step` bytes and returns the parts, body bytes joined per piece.
    func parse(_ text: String, step: Int = .max, closeAtEnd: Bool = false) throws -> [Part] {
        var parser = HTTPResponseParser()
        var parts: [Part] = []
        let bytes = Array(text.utf8)
        var index = 0
        func record(_ event: HTTPResponseParser.Event) {
            switch event {
            case .head(let status): parts.append(.head(status))
            case .body(let raw):
                let text = String(decoding: raw, as: UTF8.self)
                if case .body(let previous) = parts.last {
                    parts[parts.count - 1] = .body(previous + text)
                } else {
                    parts.append(.body(text))
                }
            case .end(let keepAlive): parts.append(.end(keepAlive: keepAlive))
            }
        }
        while index < bytes.count {
            let end = min(bytes.count, index + step)
            try bytes[index..<end].withUnsafeBytes { raw in try parser.feed(raw, event: record) }
            index = end
        }
        if closeAtEnd { _ = parser.connectionClosed(event: record) }
        return parts
    }

    static let chunked = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"

    @Test("chunked body, extensions and trailers; the same split at every byte")
    func chunked() throws {
        let expected: [Part] = [.head(200), .body("hello, world"), .end(keepAlive: true)]
        #expect(try parse(Self.chunked) == expected)
        #expect(try parse(Self.chunked, step: 1) == expected)
        #expect(try parse(Self.chunked, step: 7) == expected)
    }

    @Test("Content-Length body; Connection: close is honoured")
    func contentLength() throws {
        let text = "HTTP/1.1 429 Too Many Requests\r\ncontent-length: 4\r\nConnection: close\r\n\r\nslow"
        #expect(try parse(text, step: 3) == [.head(429), .body("slow"), .end(keepAlive: false)])
    }

    @Test("no length and not chunked: the body runs to the close; HTTP/1.0 does not keep alive")
    func untilClose() throws {
        let text = "HTTP/1.0 200 OK\r\n\r\ndata: x\n\n"
        #expect(try parse(text) == [.head(200), .body("data: x\n\n")])
        #expect(try parse(text, closeAtEnd: true) == [.head(200), .body("data: x\n\n"), .end(keepAlive: false)])
    }

    @Test("204 and an empty Content-Length end at the head; 100 Continue is skipped")
    func emptyBodies() throws {
        #expect(try parse("HTTP/1.1 204 No Content\r\n\r\n") == [.head(204), .end(keepAlive: true)])
        #expect(try parse("HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n") == [.head(500), .end(keepAlive: true)])
        #expect(try parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                == [.head(200), .body("ok"), .end(keepAlive: true)])
    }

    @Test("a cut chunked response is not complete at close")
    func cut() throws {
        var parser = HTTPResponseParser()
        try Array((Self.chunked.prefix(90)).utf8).withUnsafeBytes { try parser.feed($0) { _ in } }
        #expect(parser.connectionClosed { _ in } == false)
    }

    @Test("malformed responses are refused with a reason", arguments: [
        "SSH-2.0-OpenSSH\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
    ])
    func malformed(text: String) {
        #expect(throws: HTTPResponseParser.Failure.self) { try parse(text) }
    }

    @Test("an endless header line is refused, not buffered without bound")
    func longLine() {
        let text = "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: HTTPResponseParser.maximumLineLength + 10)
        #expect(throws: HTTPResponseParser.Failure.self) { try parse(text, step: 4096) }
    }
}
