/// An incremental HTTP/1.1 response parser for `WireClient`: status line, headers, then a body
/// framed by `Content-Length`, `Transfer-Encoding: chunked` or the end of the connection.
///
/// It hands body bytes on as they are decoded, as slices of the buffer it was fed (no copy), so
/// the SSE parser can stamp each event the moment its bytes are read. Only what a load
/// generator needs is kept from the head: the status code, the framing and whether the
/// connection may be reused.
struct HTTPResponseParser: Sendable {
    enum Event {
        case head(status: Int)
        case body(UnsafeRawBufferPointer)
        /// The response is complete; `keepAlive` says whether the connection may carry another.
        case end(keepAlive: Bool)
    }

    enum Failure: Error, Equatable {
        case malformed(String)
    }

    private enum State {
        case statusLine
        case headers
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
        case done
    }

    /// Longest status or header line accepted (a bound on memory, not a protocol limit).
    static let maximumLineLength = 16 * 1024

    private var state = State.statusLine
    private var line: [UInt8] = []
    private var status = 0
    private var keepAlive = true
    private var contentLength: Int?
    private var chunked = false

    init() {}

    /// True once `.end` was reported.
    var isDone: Bool { if case .done = state { return true } else { return false } }

    /// True while the body runs to the end of the connection (no length, not chunked).
    var endsAtClose: Bool { if case .untilClose = state { return true } else { return false } }

    /// Parses `bytes`, calling `event` for each part; throws on a malformed response. Bytes after
    /// the end of the response are ignored (a well-behaved server sends none: we never pipeline).
    mutating func feed(_ bytes: UnsafeRawBufferPointer, event: (Event) -> Void) throws(Failure) {
        var index = 0
        let count = bytes.count
        while index < count {
            switch state {
            case .statusLine, .headers, .chunkSize, .chunkDataEnd, .trailers:
                guard try takeLine(bytes, from: &index) else { return }
                try lineCompleted(event: event)
            case .fixedBody(let remaining):
                let take = min(remaining, count - index)
                event(.body(UnsafeRawBufferPointer(rebasing: bytes[index..<index + take])))
                index += take
                if remaining - take == 0 {
                    finish(event: event)
                } else {
                    state = .fixedBody(remaining: remaining - take)
                }
            case .chunkData(let remaining):
                let take = min(remaining, count - index)
                event(.body(UnsafeRawBufferPointer(rebasing: bytes[index..<index + take])))
                index += take
                state = remaining - take == 0 ? .chunkDataEnd : .chunkData(remaining: remaining - take)
            case .untilClose:
                event(.body(UnsafeRawBufferPointer(rebasing: bytes[index..<count])))
                return
            case .done:
                return
            }
        }
    }

    /// The connection closed: ends a close-delimited body, or reports the response as cut.
    mutating func connectionClosed(event: (Event) -> Void) -> Bool {
        guard case .untilClose = state else { return isDone }
        state = .done
        event(.end(keepAlive: false))
        return true
    }

    /// Appends bytes up to the next LF to `line` (without CR/LF); false when the line is unfinished.
    private mutating func takeLine(_ bytes: UnsafeRawBufferPointer, from index: inout Int) throws(Failure) -> Bool {
        let count = bytes.count
        var end = index
        while end < count, bytes[end] != 0x0A { end += 1 }
        if end > index { line.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<end])) }
        guard line.count <= Self.maximumLineLength else { throw .malformed("a header line longer than \(Self.maximumLineLength) bytes") }
        guard end < count else {
            index = count
            return false
        }
        index = end + 1
        if line.last == 0x0D { line.removeLast() }
        return true
    }

    private mutating func lineCompleted(event: (Event) -> Void) throws(Failure) {
        defer { line.removeAll(keepingCapacity: true) }
        switch state {
        case .statusLine:
            try parseStatusLine()
            state = .headers
        case .headers:
            if line.isEmpty {
                try headersCompleted(event: event)
            } else {
                try parseHeader()
            }
        case .chunkSize:
            var size = 0
            var digits = 0
            for byte in line {
                guard let value = Self.hexValue(byte) else {
                    if byte == UInt8(ascii: ";") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { break }
                    throw .malformed("a chunk size that is not hexadecimal")
                }
                guard digits < 15 else { throw .malformed("a chunk size too large") }
                size = size * 16 + value
                digits += 1
            }
            guard digits > 0 else { throw .malformed("an empty chunk size line") }
            state = size == 0 ? .trailers : .chunkData(remaining: size)
        case .chunkDataEnd:
            guard line.isEmpty else { throw .malformed("chunk data longer than its size") }
            state = .chunkSize
        case .trailers:
            if line.isEmpty { finish(event: event) }
        default:
            break
        }
    }

    private mutating func parseStatusLine() throws(Failure) {
        // HTTP/1.x SP 3DIGIT [SP reason]
        guard line.count >= 12, line.starts(with: Self.httpPrefix),
              line[8] == UInt8(ascii: " ") else { throw .malformed("a response that does not start with an HTTP/1.x status line") }
        var code = 0
        for offset in 9..<12 {
            let byte = line[offset]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .malformed("a status code that is not three digits") }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
        }
        status = code
        keepAlive = line[7] == UInt8(ascii: "1")  // HTTP/1.1 keeps the connection by default, 1.0 does not
    }

    private mutating func parseHeader() throws(Failure) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { throw .malformed("a header line without a name") }
        let name = line[..<colon]
        var valueStart = colon + 1
        while valueStart < line.count, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
        var valueEnd = line.count
        while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        let value = line[valueStart..<valueEnd]
        if Self.equalsIgnoringCase(name, "content-length") {
            var length = 0
            guard !value.isEmpty, value.count < 16 else { throw .malformed("an unreadable Content-Length") }
            for byte in value {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .malformed("an unreadable Content-Length") }
                length = length * 10 + Int(byte - UInt8(ascii: "0"))
            }
            if let contentLength, contentLength != length { throw .malformed("two different Content-Length headers") }
            contentLength = length
        } else if Self.equalsIgnoringCase(name, "transfer-encoding") {
            // Only the last coding frames the body; anything but chunked there means "until close".
            chunked = Self.lastToken(of: value).map { Self.equalsIgnoringCase($0, "chunked") } ?? false
        } else if Self.equalsIgnoringCase(name, "connection") {
            for token in value.split(separator: UInt8(ascii: ",")) {
                let trimmed = token.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()
                if Self.equalsIgnoringCase(trimmed, "close") { keepAlive = false }
                if Self.equalsIgnoringCase(trimmed, "keep-alive") { keepAlive = true }
            }
        }
    }

    private mutating func headersCompleted(event: (Event) -> Void) throws(Failure) {
        if (100..<200).contains(status) {
            // An interim response (100 Continue): its head is skipped, the real one follows.
            state = .statusLine
            contentLength = nil
            chunked = false
            return
        }
        event(.head(status: status))
        if status == 204 || status == 304 {
            finish(event: event)
        } else if chunked {
            state = .chunkSize
        } else if let contentLength {
            if contentLength == 0 { finish(event: event) } else { state = .fixedBody(remaining: contentLength) }
        } else {
            keepAlive = false
            state = .untilClose
        }
    }

    private mutating func finish(event: (Event) -> Void) {
        state = .done
        event(.end(keepAlive: keepAlive))
    }

    private static let httpPrefix = Array("HTTP/1.".utf8)

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }

    private static func lastToken(of value: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard let token = value.split(separator: UInt8(ascii: ",")).last else { return nil }
        return token.drop { $0 == 0x20 || $0 == 0x09 }
    }

    private static func equalsIgnoringCase<Bytes: Collection<UInt8>>(_ bytes: Bytes, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { expected in
            var index = 0
            for byte in bytes {
                let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
                if lowered != expected[index] { return false }
                index += 1
            }
            return true
        }
    }
}
