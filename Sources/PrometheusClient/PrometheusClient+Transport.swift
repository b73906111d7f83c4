import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension PrometheusClient {
    /// One HTTP exchange: status and fully collected body.
    ///
    /// The body stays the `ByteBuffer` the response was collected into: a relayed answer goes
    /// out to the caller from that same buffer (``RelayedAnswer/bytes``), and readers that
    /// decode JSON see it as `Data` sharing its storage (``body``), so a 300 KB range answer is
    /// not copied twice on its way through. The names match ``RelayedAnswer``'s.
    struct Answer: Sendable {
        var status: HTTPResponseStatus
        var bytes: ByteBuffer

        var body: Data { Data(buffer: bytes, byteTransferStrategy: .automatic) }
    }

    /// Sends `request` under one overall deadline and collects at most `maxResponseBytes`.
    ///
    /// AsyncHTTPClient's own deadline stops at the response head, so a backend that sends the
    /// head and then trickles the body would hold the caller forever: a timer on the client's
    /// event loop ends the whole exchange at the overall deadline. It fires a little after
    /// AsyncHTTPClient's deadline so that a backend that refuses connections (AsyncHTTPClient
    /// retries until its deadline, then reports the connect error) reads as `.unreachable`, not
    /// `.timeout`. The timer is a NIO scheduled task rather than a racing `Task.sleep`: the
    /// sleep's Dispatch timer woke a third thread on every read (5 % of the server's CPU under
    /// `make bench-scoped-api`). The exchange and the wait for the timer are child tasks of one
    /// group, not an unstructured `Task`: children follow the caller's cancellation and inherit
    /// its task executor preference, so a handler running on its connection's event loop
    /// (`EventLoopBoundHTTP1Channel`) keeps the exchange there too.
    /// Transport failures are mapped to `.unreachable`, `.timeout`, `.tooLarge` or `.cancelled`.
    func send(_ request: HTTPClientRequest) async throws(PrometheusClientError) -> Answer {
        let headDeadline = NIODeadline.now() + Self.timeAmount(timeout)
        let limit = maxResponseBytes
        let http = self.http
        let loop = http.eventLoopGroup.any()
        // Completed with `true` by the timer, or with `false` once the exchange is over (the
        // first completion wins; NIO ignores the second).
        let expiry = loop.makePromise(of: Bool.self)
        let timer = loop.scheduleTask(deadline: headDeadline + .milliseconds(250)) {
            expiry.succeed(true)
        }
        do {
            return try await withThrowingTaskGroup(of: Answer?.self) { group in
                defer {
                    timer.cancel()
                    expiry.succeed(false)
                }
                group.addTask {
                    let response = try await http.execute(request, deadline: headDeadline)
                    let buffer = try await response.body.collect(upTo: limit)
                    return Answer(status: response.status, bytes: buffer)
                }
                group.addTask {
                    _ = try await expiry.futureResult.get()
                    return nil
                }
                // The timer's child returns first only when the deadline passed.
                guard let first = try await group.next(), let answer = first else {
                    group.cancelAll()
                    throw PrometheusClientError.timeout
                }
                return answer
            }
        } catch {
            throw Self.mapTransport(error, limit: limit)
        }
    }

    /// Maps what AsyncHTTPClient and NIO throw onto the client's error cases.
    static func mapTransport(_ error: any Error, limit: Int) -> PrometheusClientError {
        switch error {
        case let error as PrometheusClientError:
            return error
        case is NIOTooManyBytesError:
            return .tooLarge(limit: limit)
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout:
            return .timeout
        case let error as HTTPClientError where error == .cancelled:
            return .cancelled
        case is CancellationError:
            return .cancelled
        default:
            if Task.isCancelled { return .cancelled }
            return .unreachable(String(describing: error))
        }
    }

    /// `Duration` as NIO's `TimeAmount`, at millisecond resolution and at least one millisecond.
    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        let millis = seconds.multipliedReportingOverflow(by: 1000)
        guard !millis.overflow else { return .hours(24 * 365) }
        return .milliseconds(max(1, millis.partialValue + attoseconds / 1_000_000_000_000_000))
    }
}
