import Foundation
import Testing

@testable import PrometheusClient

/// Classification of non-200 answers and the outage/not-outage split the server relies on.
@Suite("PrometheusClientError")
struct PrometheusClientErrorTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var status: Int
        var body: String
        var expected: PrometheusClientError
        var outage: Bool
        var testDescription: String { "\(status) \(body.prefix(40))" }
    }

    @Test("non-200 answers map to the right case", arguments: [
        Row(status: 400, body: Fixtures.badData, expected: .rejected(status: 400, errorType: "bad_data", message: "1:5: parse error: unexpected end of input"), outage: false),
        Row(status: 422, body: Fixtures.execution, expected: .rejected(status: 422, errorType: "execution", message: "query processing would load too many samples into memory"), outage: false),
        Row(status: 503, body: Fixtures.evalTimeout, expected: .timeout, outage: true),
        Row(status: 503, body: Fixtures.unavailable, expected: .rejected(status: 503, errorType: "unavailable", message: "TSDB not ready"), outage: true),
        Row(status: 429, body: #"{"status":"error","errorType":"too_many_requests","error":"slow down"}"#, expected: .rejected(status: 429, errorType: "too_many_requests", message: "slow down"), outage: true),
        Row(status: 502, body: "<html>Bad Gateway</html>", expected: .badResponse(status: 502), outage: true),
        Row(status: 504, body: "", expected: .timeout, outage: true),
        Row(status: 404, body: "404 page not found", expected: .badResponse(status: 404), outage: true),
    ])
    func classify(row: Row) {
        let error = PrometheusClientError.classify(status: row.status, body: Data(row.body.utf8))
        #expect(error == row.expected)
        #expect(error.isUpstreamOutage == row.outage)
    }

    @Test("outage split for the cases not produced by a status")
    func outageSplit() {
        #expect(PrometheusClientError.unreachable("connection refused").isUpstreamOutage)
        #expect(PrometheusClientError.malformedResponse("x").isUpstreamOutage)
        #expect(!PrometheusClientError.tooLarge(limit: 1 << 20).isUpstreamOutage)
        #expect(!PrometheusClientError.unexpectedResult(expected: "vector", got: "matrix").isUpstreamOutage)
        #expect(!PrometheusClientError.invalidRequest("x").isUpstreamOutage)
        #expect(!PrometheusClientError.cancelled.isUpstreamOutage)
    }

    @Test("user messages name neither the upstream address nor its raw error text")
    func userMessagesAreClean() {
        let errors: [PrometheusClientError] = [
            .unreachable("connect(descriptor:addr:size:) to 10.1.2.3:9090 failed"),
            .timeout,
            .rejected(status: 400, errorType: "bad_data", message: "parse error near http://10.1.2.3:9090"),
            .rejected(status: 500, errorType: "<script>http://10.1.2.3</script>", message: "x"),
            .malformedResponse("data.result.0: 10.1.2.3"),
            .badResponse(status: 502),
            .tooLarge(limit: 64 << 20),
        ]
        for error in errors {
            #expect(!error.userMessage.contains("10.1.2.3"), "\(error.code)")
            #expect(!error.userMessage.contains("http"), "\(error.code)")
            #expect(!error.userMessage.isEmpty)
        }
        #expect(PrometheusClientError.tooLarge(limit: 64 << 20).userMessage.contains("64 MiB"))
        #expect(PrometheusClientError.rejected(status: 422, errorType: "execution", message: "").code == "upstream_rejected")
        #expect(PrometheusClientError.rejected(status: 500, errorType: "internal", message: "").code == "upstream_failed")
    }
}
