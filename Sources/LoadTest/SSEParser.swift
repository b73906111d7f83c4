/// One completed server-sent event: its `data` lines joined by `\n`, stamped when its
/// terminating blank line was parsed.
public struct SSEEvent: Sendable, Equatable {
    /// The event's data (UTF-8 bytes, lines joined with `\n`, without the `data:` prefix).
    public var data: [UInt8]
    /// `Stopwatch` nanoseconds at which the event was completed.
    public var timestamp: UInt64

    public init(data: [UInt8], timestamp: UInt64) {
        self.data = data
        self.timestamp = timestamp
    }

    /// The data as text.
    public var text: String { String(decoding: data, as: UTF8.self) }
}

/// An incremental parser for `text/event-stream` (the WHATWG server-sent events grammar).
///
/// A network read can hold half an event or several events at once (the server wrote them in
/// one TCP segment, or the kernel merged them). Stamping per read would give merged events one
/// timestamp and make inter-chunk latencies zero, so the parser asks `now` for a timestamp at the
/// moment each event's terminating blank line is parsed: every event gets its own time, in order.
/// Tests inject `now` to prove it.
///
/// Lines end in `\n`, `\r\n` or `\r` (a `\r\n` split across two reads counts once). Only `data`
/// fields are kept; comments (`:`), `event`, `id` and `retry` are skipped, as the OpenAI streams
/// carry everything in `data`.
public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var lastWasCR = false

    public init() {
        line.reserveCapacity(512)
        data.reserveCapacity(512)
    }

    /// True when bytes of an unfinished event are buffered (a stream that ends here was cut).
    public var hasPartialEvent: Bool { !line.isEmpty || hasData }

    /// Parses `bytes`, calling `emit` for each event completed in them, stamped by `now()`.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, now: () -> UInt64, emit: (SSEEvent) -> Void) {
        // Line by line rather than byte by byte: each run of line bytes is appended in one copy.
        let count = bytes.count
        var index = 0
        while index < count {
            if lastWasCR {
                lastWasCR = false
                if bytes[index] == 0x0A {
                    index += 1
                    continue
                }
            }
            var end = index
            while end < count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
            if end > index { line.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<end])) }
            guard end < count else { return }
            lastWasCR = bytes[end] == 0x0D
            endLine(now: now, emit: emit)
            index = end + 1
        }
    }

    /// Convenience for tests and small inputs.
    public mutating func feed(_ bytes: [UInt8], now: () -> UInt64, emit: (SSEEvent) -> Void) {
        bytes.withUnsafeBytes { feed($0, now: now, emit: emit) }
    }

    private mutating func endLine(now: () -> UInt64, emit: (SSEEvent) -> Void) {
        defer { line.removeAll(keepingCapacity: true) }
        guard let first = line.first else {
            if hasData {
                emit(SSEEvent(data: data, timestamp: now()))
                data.removeAll(keepingCapacity: true)
                hasData = false
            }
            return
        }
        if first == 0x3A { return }  // ":" comment (keep-alive)
        let colon = line.firstIndex(of: 0x3A) ?? line.endIndex
        guard line[..<colon].elementsEqual("data".utf8) else { return }
        var valueStart = colon < line.endIndex ? line.index(after: colon) : colon
        if valueStart < line.endIndex, line[valueStart] == 0x20 { valueStart = line.index(after: valueStart) }
        if hasData { data.append(0x0A) }
        data.append(contentsOf: line[valueStart...])
        hasData = true
    }
}
