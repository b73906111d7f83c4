import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Polls an HTTP endpoint until it answers 200, with a deadline.
///
/// Used for Prometheus' `/-/ready`: a child that has forked is not yet a child that answers.
public enum ReadinessProbe {
    /// Returns when `url` answers 200; throws `StackError.notReady` after `timeout`, or earlier
    /// when `stillAlive` reports that the process behind it has gone.
    public static func wait(
        for url: String,
        name: String,
        timeout: Duration = .seconds(60),
        stillAlive: @Sendable () -> Bool = { true }
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            try Task.checkCancellation()
            guard stillAlive() else { return }
            if await answersOK(url) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw StackError.notReady(name: name, url: url, waited: timeout)
    }

    /// Whether one GET of `url` answers 200 within two seconds.
    public static func answersOK(_ url: String) async -> Bool {
        do {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(2))
            _ = try await response.body.collect(upTo: 1 << 20)
            return response.status == .ok
        } catch {
            return false
        }
    }
}
