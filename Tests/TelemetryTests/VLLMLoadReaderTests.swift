import Foundation
import PromQL
import PrometheusClient
import Testing
@testable import Telemetry

/// The gateway's load signal: two fleet reads over fresh samples only, answered per node.
@Suite("VLLMLoadReader")
struct VLLMLoadReaderTests {
    final class FleetBackend: MetricsBackend, @unchecked Sendable {
        let lock = NSLock()
        var sent: [String] = []
        var failing = false
        var identity: String { "fake-fleet" }

        func instantQuery(_ query: ScopedQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
            throw .invalidRequest("tenant reads are not expected here")
        }

        func instantQuery(_ query: FleetQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
            let failing = lock.withLock { () -> Bool in
                sent.append(query.text)
                return self.failing
            }
            if failing { throw .invalidRequest("down") }
            func sample(_ node: String?, _ value: Double) -> VectorSample {
                VectorSample(labels: node.map { ["node": $0] } ?? [:], value: value, timestamp: 0)
            }
            if query.text.contains("num_requests_running") {
                return .vector([sample("pool-a", 3), sample("pool-b", 0), sample(nil, 9)])
            }
            return .vector([sample("pool-a", 0.4), sample("pool-c", .nan), sample("pool-d", 0.99)])
        }
    }

    @Test("running and KV usage per node from samples of the last window; unlabelled or NaN answers ignored; failures thrown")
    func load() async throws {
        let backend = FleetBackend()
        let reader = VLLMLoadReader(backend: backend, freshness: .seconds(20))
        let load = try await reader.load()
        #expect(Set(load.keys) == ["pool-a", "pool-b", "pool-d"])
        #expect(load["pool-a"]?.running == 3 && load["pool-a"]?.kvCacheUsage == 0.4)
        #expect(load["pool-b"]?.running == 0 && load["pool-b"]?.kvCacheUsage == nil)
        #expect(load["pool-d"]?.running == nil && load["pool-d"]?.kvCacheUsage == 0.99)
        let sent = backend.lock.withLock { backend.sent }.sorted()
        #expect(sent == [
            "max by (node) (last_over_time(vllm:kv_cache_usage_perc[20s]))",
            "sum by (node) (last_over_time(vllm:num_requests_running[20s]))",
        ])
        backend.lock.withLock { backend.failing = true }
        await #expect(throws: PrometheusClientError.self) { _ = try await reader.load() }
    }
}
