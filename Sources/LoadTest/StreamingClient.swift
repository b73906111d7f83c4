import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Sends one streaming request and times every SSE event as it is parsed.
///
/// Never throws: every failure becomes a `RequestErrorKind` on the record, because a load test
/// must count errors, not stop at the first one.
struct StreamingClient: Sendable {
    let http: HTTPClient
    let url: String
    let apiKey: String?
    let timeout: Duration

    /// `base` is the server root or its `/v1` (`http://host:8000`, `…/nodes/n1/v1`).
    init(http: HTTPClient, base: String, endpoint: Endpoint, apiKey: String?, timeout: Duration) {
        var root = base
        while root.hasSuffix("/") { root.removeLast() }
        if !root.hasSuffix("/v1") { root += "/v1" }
        self.http = http
        url = root + endpoint.path
        self.apiKey = apiKey
        self.timeout = timeout
    }

    func send(body: [UInt8], inputTokens: Int, scheduled: UInt64?, stopwatch: Stopwatch) async -> RequestRecord {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        request.body = .bytes(ByteBuffer(bytes: body))
        let (seconds, attoseconds) = timeout.components
        let deadline = NIODeadline.now() + .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)

        var record = RequestRecord(scheduled: scheduled, start: stopwatch.now(), inputTokens: inputTokens)
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, deadline: deadline)
        } catch {
            record.end = stopwatch.now()
            if Task.isCancelled { record.cancelled = true } else { record.error = Self.classify(error, afterHead: false) }
            return record
        }
        guard response.status == .ok else {
            _ = try? await response.body.collect(upTo: 1 << 20)
            record.end = stopwatch.now()
            switch response.status.code {
            case 429: record.error = .rateLimited
            case 500...599: record.error = .http5xx
            default: record.error = .http4xx
            }
            return record
        }

        var parser = SSEParser()
        var sawDone = false
        var malformed = false
        record.contentTimes.reserveCapacity(256)
        do {
            for try await buffer in response.body {
                buffer.withUnsafeReadableBytes { raw in
                    parser.feed(raw, now: stopwatch.now) { event in
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
                if malformed || sawDone { break }
            }
        } catch {
            record.end = stopwatch.now()
            if Task.isCancelled { record.cancelled = true } else { record.error = Self.classify(error, afterHead: true) }
            return record
        }
        if malformed {
            record.error = .malformedSSE
        } else if !sawDone {
            if Task.isCancelled { record.cancelled = true } else { record.error = .midStreamDisconnect }
        }
        return record
    }

    /// Maps a client error to its kind: deadlines are timeouts; before the response head anything
    /// else is a connection failure, after it a mid-stream disconnect.
    static func classify(_ error: any Error, afterHead: Bool) -> RequestErrorKind {
        if let http = error as? HTTPClientError {
            if http == .deadlineExceeded || http == .readTimeout || http == .writeTimeout { return .timeout }
            if http == .connectTimeout { return .connect }
        }
        return afterHead ? .midStreamDisconnect : .connect
    }
}
