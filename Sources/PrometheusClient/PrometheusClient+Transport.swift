import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension PrometheusClient {
    /// One HTTP exchange: status and fully collected body.
    struct Answer: Sendable {
        var status: HTTPResponseStatus
        var body: Data
    }

    /// Sends `request` under one overall deadline and collects at most `maxResponseBytes`.
    ///
    /// AsyncHTTPClient's own deadline stops at the response head, so a backend that sends the
    /// head and then trickles the body would hold the caller forever; racing the whole exchange
    /// against the deadline bounds it. The race's timer fires a little after AsyncHTTPClient's
    /// deadline so that a backend that refuses connections (AsyncHTTPClient retries until its
    /// deadline, then reports the connect error) reads as `.unreachable`, not `.timeout`.
    /// Transport failures are mapped to `.unreachable`, `.timeout`, `.tooLarge` or `.cancelled`.
    func send(_ request: HTTPClientRequest) async throws(PrometheusClientError) -> Answer {
        let headDeadline = NIODeadline.now() + Self.timeAmount(timeout)
        let deadline = ContinuousClock.now + timeout + .milliseconds(250)
        let limit = maxResponseBytes
        let http = self.http
        do {
            return try await withThrowingTaskGroup(of: Answer?.self) { group in
                group.addTask {
                    let response = try await http.execute(request, deadline: headDeadline)
                    let buffer = try await response.body.collect(upTo: limit)
                    return Answer(status: response.status, body: Data(buffer.readableBytesView))
                }
                group.addTask {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let answer = first else {
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
