import Foundation
import Testing

@testable import PrometheusClient

/// Wire decoding and encoding without a socket.
@Suite("Decoding and encoding")
struct DecodingTests {
    @Test("sample values include NaN and both infinities", arguments: [
        ("1", 1.0), ("-2.5", -2.5), ("1e3", 1000.0), ("+Inf", Double.infinity), ("Inf", Double.infinity), ("-Inf", -Double.infinity),
    ])
    func values(text: String, expected: Double) {
        #expect(SamplePoint.parseValue(text) == expected)
    }

    @Test("NaN decodes to NaN and nonsense is refused")
    func nanAndNonsense() {
        #expect(SamplePoint.parseValue("NaN")?.isNaN == true)
        #expect(SamplePoint.parseValue("abc") == nil)
        #expect(SamplePoint.parseValue("nan") == nil)
        #expect(SamplePoint.parseValue("") == nil)
    }

    @Test("an error envelope inside a 200 is a rejection")
    func errorIn200() {
        #expect(throws: PrometheusClientError.rejected(status: 200, errorType: "bad_data", message: "1:5: parse error: unexpected end of input")) {
            try PrometheusClient.decodePayload([String].self, from: Data(Fixtures.badData.utf8))
        }
    }

    @Test("malformed reports carry the decoding path, not the body")
    func malformedPath() {
        do {
            _ = try PrometheusClient.decodePayload(QueryData.self, from: Data(#"{"status":"success","data":{"resultType":"vector","result":[{"value":[1,"x-secret"]}]}}"#.utf8))
            Issue.record("expected a failure")
        } catch {
            guard case .malformedResponse(let reason) = error else { Issue.record("got \(error)"); return }
            #expect(!reason.contains("x-secret"))
            #expect(reason.contains("result"))
        }
    }

    @Test("form encoding escapes everything outside the unreserved set")
    func formEncoding() {
        #expect(PrometheusClient.formEncode([("match[]", #"up{a="b c"}"#), ("x", "+&=é~")]) == "match%5B%5D=up%7Ba%3D%22b%20c%22%7D&x=%2B%26%3D%C3%A9~")
    }

    @Test("times and durations are decimal seconds", arguments: [
        (Duration.seconds(15), "15"), (.milliseconds(250), "0.25"), (.milliseconds(1500), "1.5"), (.milliseconds(1001), "1.001"), (.zero, "0"),
    ])
    func durations(duration: Duration, expected: String) {
        #expect(PrometheusClient.format(duration) == expected)
    }

    @Test("dates keep millisecond precision")
    func dates() {
        #expect(PrometheusClient.format(Date(timeIntervalSince1970: 1_712_345_678.123)) == "1712345678.123")
        #expect(PrometheusClient.format(Date(timeIntervalSince1970: 1_712_345_678)) == "1712345678")
    }

    @Test("RFC 3339 with nanoseconds and offsets; Go's zero time is never")
    func rfc3339() throws {
        let parsed = try #require(RFC3339.parse("2024-04-05T12:11:12.123456789+02:00"))
        #expect(abs(parsed.timeIntervalSince1970 - 1_712_311_872.123456789) < 0.000_01)
        #expect(RFC3339.parse("2024-04-05T10:11:12Z")?.timeIntervalSince1970 == 1_712_311_872)
        #expect(RFC3339.parse("0001-01-01T00:00:00Z") == nil)
        #expect(RFC3339.parse("yesterday") == nil)
    }

    @Test("base paths are normalised", arguments: [("", ""), ("/", ""), ("prometheus", "/prometheus"), ("/select/0/prometheus/", "/select/0/prometheus")])
    func basePaths(input: String, expected: String) {
        #expect(PrometheusClient.normalise(basePath: input) == expected)
    }
}
