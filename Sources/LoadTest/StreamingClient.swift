import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

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
struct StreamingClient: RequestStarter {
    let http: HTTPClient
    let url: String
    let apiKey: String?
    let timeout: Duration
    /// URL, method and headers parsed once; each request only swaps in its body (parsing the URL
    /// per request was a measurable share of the client's CPU).
    private let template: HTTPClient.Request?

    /// `base` is the server root or its `/v1` (`http://host:8000`, `…/nodes/n1/v1`).
    init(http: HTTPClient, base: String, endpoint: Endpoint, apiKey: String?, timeout: Duration) {
        self.http = http
        url = Self.url(base: base, endpoint: endpoint)
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
               completion: @escaping @Sendable (RequestRecord) -> Void) -> (any InFlightRequest)? {
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
        let task = http.execute(request: request, delegate: delegate, eventLoop: .delegate(on: loop), deadline: deadline)
        task.futureResult.whenComplete { result in
            switch result {
            case .success(let record):
                completion(record)
            case .failure(let error):
                completion(delegate.failed(at: stopwatch.now(), kind: Self.classify(error, afterHead: delegate.receivedHead)))
            }
        }
        return task
    }

    func shutdown() async {}

    /// The endpoint's URL: `base` is the server root or its `/v1`.
    static func url(base: String, endpoint: Endpoint) -> String {
        var root = base
        while root.hasSuffix("/") { root.removeLast() }
        if !root.hasSuffix("/v1") { root += "/v1" }
        return root + endpoint.path
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

extension HTTPClient.Task: InFlightRequest {}

/// Builds a `RequestRecord` from the response as AsyncHTTPClient delivers it (`ResponseRecorder`).
///
/// Every callback runs on the request's event loop, one at a time; the state is also read by the
/// caller after the request's future completed (which orders those reads after the callbacks).
/// The lock makes both kinds of access safe without relying on that argument.
final class SSEDelegate: HTTPClientResponseDelegate, Sendable {
    typealias Response = RequestRecord

    private let recorder: NIOLockedValueBox<ResponseRecorder>
    private let stopwatch: Stopwatch

    init(record: RequestRecord, stopwatch: Stopwatch) {
        self.recorder = NIOLockedValueBox(ResponseRecorder(record: record))
        self.stopwatch = stopwatch
    }

    var receivedHead: Bool { recorder.withLockedValue { $0.receivedHead } }

    func failed(at now: UInt64, kind: RequestErrorKind) -> RequestRecord {
        recorder.withLockedValue { $0.failed(at: now, kind: kind) }
    }

    func didReceiveHead(task: HTTPClient.Task<RequestRecord>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        recorder.withLockedValue { $0.head(status: Int(head.status.code)) }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<RequestRecord>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let stopwatch = self.stopwatch
        recorder.withLockedValue { recorder in
            buffer.withUnsafeReadableBytes { recorder.body($0, stopwatch: stopwatch) }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<RequestRecord>) throws -> RequestRecord {
        let now = stopwatch.now()
        return recorder.withLockedValue { $0.finished(at: now) }
    }
}
