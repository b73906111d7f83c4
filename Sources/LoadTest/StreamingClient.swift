import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Logging
import Foundation
let debugLogger: Logger? = ProcessInfo.processInfo.environment["AHC_TRACE"] == nil ? nil : { var l = Logger(label: "ahc"); l.logLevel = .trace; return l }()

/// Sends one streaming request and times every SSE event as it is parsed.
///
/// The body is parsed in AsyncHTTPClient's response delegate, on the connection's event loop, as
/// each buffer arrives: the timestamp of an event is taken where its bytes are, not after a hop
/// to a Swift-concurrency thread (which added a scheduling delay to every TTFT and cost CPU per
/// chunk). Several events in one buffer still get their own timestamps, as `SSEParser` completes
/// them one by one.
///
/// Never throws: every failure becomes a `RequestErrorKind` on the record, because a load test
/// must count errors, not stop at the first one.
struct StreamingClient: Sendable {
    let http: HTTPClient
    let url: String
    let apiKey: String?
    let timeout: Duration
    /// URL, method and headers parsed once; each request only swaps in its body (parsing the URL
    /// per request was a measurable share of the client's CPU).
    private let template: HTTPClient.Request?

    /// `base` is the server root or its `/v1` (`http://host:8000`, `…/nodes/n1/v1`).
    init(http: HTTPClient, base: String, endpoint: Endpoint, apiKey: String?, timeout: Duration) {
        var root = base
        while root.hasSuffix("/") { root.removeLast() }
        if !root.hasSuffix("/v1") { root += "/v1" }
        self.http = http
        url = root + endpoint.path
        self.apiKey = apiKey
        self.timeout = timeout
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: "text/event-stream")
        if let apiKey { headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        template = try? HTTPClient.Request(url: url, method: .POST, headers: headers)
    }

    /// Starts one request on `loop` (the caller is on it) and calls `completion` there with its
    /// record, whatever happened. Returns the task so the caller can cancel it.
    ///
    /// The start time is taken here, on the event loop that writes the request, immediately
    /// before AsyncHTTPClient takes it: no thread hop lies between the stamp and the write.
    func start(body: [UInt8], inputTokens: Int, scheduled: UInt64?, stopwatch: Stopwatch, on loop: any EventLoop,
               completion: @escaping @Sendable (RequestRecord) -> Void) -> HTTPClient.Task<RequestRecord>? {
        let (seconds, attoseconds) = timeout.components
        let deadline = NIODeadline.now() + .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let start = stopwatch.now()
        guard var request = template else {
            // The URL did not parse (validated earlier, so this is unexpected): a connect error.
            var record = RequestRecord(scheduled: scheduled, start: start, inputTokens: inputTokens)
            record.error = .connect
            completion(record)
            return nil
        }
        request.body = .bytes(body)
        let delegate = SSEDelegate(record: RequestRecord(scheduled: scheduled, start: start, inputTokens: inputTokens), stopwatch: stopwatch)
        let task = http.execute(request: request, delegate: delegate, eventLoop: .delegate(on: loop), deadline: deadline, logger: debugLogger)
        task.futureResult.whenComplete { result in
            switch result {
            case .success(let record):
                completion(record)
            case .failure(let error):
                var record = delegate.snapshot()
                record.end = stopwatch.now()
                if record.error == nil { record.error = Self.classify(error, afterHead: delegate.receivedHead) }
                completion(record)
            }
        }
        return task
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

/// Builds a `RequestRecord` from the response as AsyncHTTPClient delivers it.
///
/// Every callback runs on the request's event loop, one at a time; the state is also read by the
/// caller after the request's future completed (which orders those reads after the callbacks).
/// The lock makes both kinds of access safe without relying on that argument.
final class SSEDelegate: HTTPClientResponseDelegate, Sendable {
    typealias Response = RequestRecord

    private struct State {
        var record: RequestRecord
        var parser = SSEParser()
        var status: UInt = 0
        var receivedHead = false
        var sawDone = false
        var malformed = false
    }

    private let state: NIOLockedValueBox<State>
    private let stopwatch: Stopwatch

    init(record: RequestRecord, stopwatch: Stopwatch) {
        var record = record
        record.contentTimes.reserveCapacity(256)
        self.state = NIOLockedValueBox(State(record: record))
        self.stopwatch = stopwatch
    }

    var receivedHead: Bool { state.withLockedValue { $0.receivedHead } }

    func snapshot() -> RequestRecord { state.withLockedValue { $0.record } }

    func didReceiveHead(task: HTTPClient.Task<RequestRecord>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        state.withLockedValue { state in
            state.receivedHead = true
            state.status = head.status.code
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<RequestRecord>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let stopwatch = self.stopwatch
        state.withLockedValue { state in
            guard state.status == 200, !state.sawDone, !state.malformed else { return }
            buffer.withUnsafeReadableBytes { raw in
                state.parser.feed(raw, now: stopwatch.now) { event in
                    guard !state.sawDone, !state.malformed else { return }
                    state.record.end = event.timestamp
                    if event.data.elementsEqual("[DONE]".utf8) {
                        state.sawDone = true
                        return
                    }
                    guard let chunk = ChunkScanner.scan(event.data) else {
                        state.malformed = true
                        return
                    }
                    if chunk.hasContent { state.record.contentTimes.append(event.timestamp) }
                    if let tokens = chunk.completionTokens { state.record.usageOutputTokens = tokens }
                }
            }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<RequestRecord>) throws -> RequestRecord {
        let now = stopwatch.now()
        return state.withLockedValue { state in
            var record = state.record
            switch state.status {
            case 200:
                if state.malformed {
                    record.error = .malformedSSE
                } else if !state.sawDone {
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
    }
}
