import Exposition
import Foundation
import Hummingbird
import HummingbirdTesting
import Simulator
import Testing

@Suite("Metering exposition")
struct MeteringTests {
    static let consumers = [MeteringConsumer(tenant: "umbrella", pool: "shared"), MeteringConsumer(tenant: "initech", pool: "ada")]
    let metering = MeteringSimulation(consumers: Self.consumers, seed: 7)

    func parse(at t: Double) throws -> MetricSet {
        try ExpositionParser.parse(metering.text(at: t))
    }

    @Test("every consumer has tokens by direction, requests by code and a duration histogram")
    func families() throws {
        let set = try parse(at: 600)
        #expect(set.family("aifactory_usage_tokens_total")?.type == .counter)
        #expect(set.family("aifactory_usage_requests_total")?.type == .counter)
        #expect(set.family("aifactory_usage_request_duration_seconds")?.type == .histogram)
        for consumer in Self.consumers {
            let tokens = set.samples("aifactory_usage_tokens_total").filter { $0[label: "tenant"] == consumer.tenant && $0[label: "pool"] == consumer.pool }
            #expect(Set(tokens.compactMap { $0[label: "direction"] }) == ["input", "output"])
            let requests = set.samples("aifactory_usage_requests_total").filter { $0[label: "tenant"] == consumer.tenant }
            #expect(Set(requests.compactMap { $0[label: "code"] }) == ["200", "429", "500"])
            #expect(requests.allSatisfy { $0[label: "pool"] == consumer.pool })
        }
    }

    @Test("histograms are complete: cumulative buckets through +Inf, _sum and _count")
    func histogram() throws {
        for t in [0.0, 60, 3600, 86_400] {
            let set = try parse(at: t)
            let family = try #require(set.family("aifactory_usage_request_duration_seconds"))
            #expect(family.histogramProblems().isEmpty, "\(family.histogramProblems())")
            #expect(set.samples("aifactory_usage_request_duration_seconds_count").count == Self.consumers.count)
        }
    }

    @Test("counters never decrease over time")
    func monotonic() throws {
        var previous: [String: Double] = [:]
        for t in stride(from: 0.0, through: 7200, by: 45) {
            let set = try parse(at: t)
            for sample in set.allSamples {
                let key = sample.name + sample.labels.description
                #expect(sample.value >= previous[key, default: 0], "\(key) decreased at \(t)")
                previous[key] = sample.value
            }
        }
        let start = try parse(at: 0).samples("aifactory_usage_tokens_total").map(\.value).reduce(0, +)
        let later = try parse(at: 7200).samples("aifactory_usage_tokens_total").map(\.value).reduce(0, +)
        #expect(later > start)
    }

    @Test("a pure function of seed and time")
    func deterministic() {
        let again = MeteringSimulation(consumers: Self.consumers, seed: 7)
        #expect(metering.text(at: 1234.5) == again.text(at: 1234.5))
        #expect(metering.text(at: 1234.5) != MeteringSimulation(consumers: Self.consumers, seed: 8).text(at: 1234.5))
    }

    @Test("no consumers → an empty, valid exposition")
    func empty() throws {
        let none = MeteringSimulation(consumers: [], seed: 7)
        #expect(try ExpositionParser.parse(none.text(at: 100)).allSamples.isEmpty)
    }

    @Test("GET /metering/metrics serves the configured consumers")
    func route() async throws {
        var config = SimulatorConfiguration(host: "127.0.0.1", port: 0, fleet: FleetFile.demo, seed: 7, clock: .fixed(300))
        config.consumers = Self.consumers
        let app = buildSimulatorApplication(config)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/metering/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let set = try ExpositionParser.parse(String(buffer: response.body))
            #expect(Set(set.samples("aifactory_usage_requests_total").compactMap { $0[label: "tenant"] }) == ["umbrella", "initech"])
        }
    }
}
