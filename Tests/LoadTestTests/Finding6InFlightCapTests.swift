import Foundation
import Hummingbird
@testable import LoadTest
import TestSupport
import Testing

/// Finding 6: rate mode had no cap on requests in flight, so an endpoint that accepts and never
/// answers made the generator open a socket per arrival.
@Suite("Finding 6: requests in flight", .serialized)
struct Finding6InFlightCapTests {
    /// Requests being served now, and the most at once.
    actor Gauge {
        private(set) var current = 0
        private(set) var peak = 0
        func enter() { current += 1; peak = max(peak, current) }
        func leave() { current -= 1 }
    }

    /// Answers every request after `delay`: a slow endpoint.
    static func slow(_ gauge: Gauge, delay: Duration) -> Router<BasicRequestContext> {
        let router = Router()
        router.post("**") { _, _ -> Response in
            await gauge.enter()
            try? await Task.sleep(for: delay)
            await gauge.leave()
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init(byteBuffer: ByteBuffer(string: "data: [DONE]\n\n")))
        }
        return router
    }

    @Test("finding 6: rate mode never has more than maxInFlight requests open", arguments: [LoadGenerator.Carrier.automatic, .asyncHTTPClient])
    func rateModeCapped(carrier: LoadGenerator.Carrier) async throws {
        let gauge = Gauge()
        try await withLoopbackServer(Self.slow(gauge, delay: .milliseconds(400))) { base in
            let level = Level.rate(200, .constant)
            var configuration = LoadTestConfiguration(url: base, model: "m", levels: [level], inputTokens: 8, outputTokens: 4)
            configuration.requests = 40
            configuration.warmupRequests = 0
            configuration.requestTimeout = .seconds(10)
            configuration.maxInFlight = 4
            let generator = LoadGenerator(configuration: configuration, carrier: carrier)
            let report = await generator.run(level: level)
            try await generator.shutdown()
            #expect(report.requests == 40)
            #expect(report.fellBehind)
        }
        #expect(await gauge.peak <= 4)
        #expect(await gauge.peak >= 1)
    }
}
