/// Turns one response — its status, its body bytes as they arrive, its end or failure — into a
/// `RequestRecord`, whichever HTTP client carried it (`WireClient` on plain http,
/// AsyncHTTPClient through `SSEDelegate` on https).
///
/// Each SSE event is stamped as `SSEParser` completes it, so events merged into one read still
/// get their own times.
struct ResponseRecorder: Sendable {
    private(set) var record: RequestRecord
    private var parser = SSEParser()
    private var status = 0
    private(set) var receivedHead = false
    private var sawDone = false
    private var malformed = false

    init(record: RequestRecord) {
        var record = record
        record.contentTimes.reserveCapacity(256)
        self.record = record
    }

    mutating func head(status: Int) {
        receivedHead = true
        self.status = status
    }

    mutating func body(_ bytes: UnsafeRawBufferPointer, stopwatch: Stopwatch) {
        guard status == 200, !sawDone, !malformed else { return }
        parser.feed(bytes, now: stopwatch.now) { event in
            guard !sawDone, !malformed else { return }
            record.end = event.timestamp
            if event.data.elementsEqual("[DONE]".utf8) {
                sawDone = true
                return
            }
            guard let chunk = ChunkScanner.scan(event.data) else {
                malformed = true
                return
            }
            if chunk.hasContent { record.contentTimes.append(event.timestamp) }
            if let tokens = chunk.completionTokens { record.usageOutputTokens = tokens }
        }
    }

    /// The record of a response that ended normally at `now`: errors by status, a stream without
    /// `[DONE]` is a mid-stream disconnect.
    func finished(at now: UInt64) -> RequestRecord {
        var record = self.record
        switch status {
        case 200:
            if malformed {
                record.error = .malformedSSE
            } else if !sawDone {
                record.end = now
                record.error = .midStreamDisconnect
            }
        case 429:
            record.end = now
            record.error = .rateLimited
        case 500...599:
            record.end = now
            record.error = .http5xx
        default:
            record.end = now
            record.error = .http4xx
        }
        return record
    }

    /// The record of a request that failed at `now` with `kind` (unless the stream already
    /// showed it malformed).
    func failed(at now: UInt64, kind: RequestErrorKind) -> RequestRecord {
        var record = self.record
        record.end = now
        record.error = malformed ? .malformedSSE : kind
        return record
    }
}
