import Foundation
import Testing

@testable import PrometheusClient

/// Down, slow and garbage backends over a real socket: each yields the typed error the server
/// uses to decide between "serve stale" and "report".
@Suite("Upstream trouble")
struct UpstreamTroubleTests {
    /// Runs one query against a fake whose `/api/v1/query` answers `canned` and returns the error.
    func failure(_ canned: CannedResponse, timeout: Duration = .seconds(5), maxBytes: Int = 64 << 20) async throws -> PrometheusClientError? {
        try await FakePrometheus(responses: ["/api/v1/query": canned]).run { url, _ in
            let client = PrometheusClient(baseURL: url, timeout: timeout, maxResponseBytes: maxBytes)
            do {
                _ = try await client.query(try TestScope.acme("up"))
                return nil
            } catch let error as PrometheusClientError {
                return error
            }
        }
    }

    @Test("a backend that never answers times out at the client's deadline")
    func slowHead() async throws {
        // Returning at all proves the deadline: the fake never answers.
        let error = try await failure(.hangHead, timeout: .milliseconds(300))
        #expect(error == .timeout)
        #expect(error?.isUpstreamOutage == true)
    }

    @Test("a backend that sends the head and stalls mid-body still times out")
    func slowBody() async throws {
        let error = try await failure(.hangBody(#"{"status":"success","data":{"#), timeout: .milliseconds(300))
        #expect(error == .timeout)
    }

    @Test("a garbage 200 body is malformed, an outage")
    func garbage() async throws {
        let error = try await failure(.raw("<html>hello</html>", status: 200, contentType: "text/html"))
        guard case .malformedResponse = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.isUpstreamOutage == true)
    }

    @Test("a success envelope with the wrong shape is malformed")
    func wrongShape() async throws {
        let error = try await failure(.json(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"abc"]}]}}"#))
        guard case .malformedResponse = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test("503 from the backend is an outage")
    func unavailable() async throws {
        let error = try await failure(.json(Fixtures.unavailable, status: 503))
        #expect(error == .rejected(status: 503, errorType: "unavailable", message: "TSDB not ready"))
        #expect(error?.isUpstreamOutage == true)
    }

    @Test("400 bad_data is a rejected query, not an outage")
    func badData() async throws {
        let error = try await failure(.json(Fixtures.badData, status: 400))
        guard case .rejected(400, "bad_data", _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.isUpstreamOutage == false)
    }

    @Test("an answer over the size cap fails as too large without buffering it")
    func tooLarge() async throws {
        let error = try await failure(.huge(bytes: 4 << 20), maxBytes: 1 << 20)
        #expect(error == .tooLarge(limit: 1 << 20))
    }

    @Test("a closed port is unreachable, an outage, and not ready")
    func unreachable() async throws {
        // A port the fake had and gave back: nothing listens there any more.
        let url = try await FakePrometheus(responses: [:]).run { url, _ in url }
        let client = PrometheusClient(baseURL: url, timeout: .seconds(1))
        let scoped = try TestScope.acme("up")
        do throws(PrometheusClientError) {
            _ = try await client.query(scoped)
            Issue.record("expected a failure")
        } catch {
            guard case .unreachable = error else { Issue.record("got \(error)"); return }
            #expect(error.isUpstreamOutage)
            #expect(!error.userMessage.contains("127.0.0.1"))
        }
        #expect(await client.isReady() == false)
    }

    @Test("a cancelled caller gets .cancelled, not an outage")
    func cancelled() async throws {
        try await FakePrometheus(responses: ["/api/v1/query": .hangHead]).run { url, _ in
            let client = PrometheusClient(baseURL: url, timeout: .seconds(30))
            let scoped = try TestScope.acme("up")
            let task = Task { () -> PrometheusClientError? in
                do throws(PrometheusClientError) {
                    _ = try await client.query(scoped)
                    return nil
                } catch {
                    return error
                }
            }
            task.cancel()
            #expect(await task.value == .cancelled)
        }
    }
}
