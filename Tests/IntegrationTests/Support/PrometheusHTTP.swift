import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1

/// Minimal reads of the real Prometheus HTTP API for integration tests.
enum PrometheusHTTP {
    struct Sample: Sendable {
        var labels: [String: String]
        var value: Double
    }

    /// Runs an instant query and returns the vector result (scalar results come back as one sample).
    static func query(_ baseURL: String, _ promql: String) async throws -> [Sample] {
        var components = URLComponents(string: baseURL + "/api/v1/query")!
        components.queryItems = [URLQueryItem(name: "query", value: promql)]
        let body = try await get(components.url!.absoluteString)
        let json = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        guard json?["status"] as? String == "success", let data = json?["data"] as? [String: Any] else {
            throw TestFailure("query \(promql) failed: \(String(decoding: body, as: UTF8.self))")
        }
        let resultType = data["resultType"] as? String
        if resultType == "scalar", let pair = data["result"] as? [Any], pair.count == 2, let text = pair[1] as? String {
            return [Sample(labels: [:], value: Double(text) ?? .nan)]
        }
        let result = data["result"] as? [[String: Any]] ?? []
        return result.map { entry in
            let labels = entry["metric"] as? [String: String] ?? [:]
            let pair = entry["value"] as? [Any] ?? []
            let value = (pair.count == 2 ? pair[1] as? String : nil).flatMap(Double.init) ?? .nan
            return Sample(labels: labels, value: value)
        }
    }

    /// GET returning the body; throws on a non-200 answer.
    static func get(_ url: String, bearer: String? = nil) async throws -> Data {
        var request = HTTPClientRequest(url: url)
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 << 20)
        guard response.status == .ok else {
            throw TestFailure("GET \(url) answered \(response.status.code): \(String(buffer: body))")
        }
        return Data(buffer: body)
    }

    /// Polls `check` until it returns true or `timeout` passes.
    /// A check that throws counts as not yet (the last one too: the caller's expectation fails,
    /// the test does not stop half-way with its fixtures in an odd state).
    static func eventually(timeout: Duration = .seconds(60), _ check: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? await check()) == true { return true }
            try await Task.sleep(for: .milliseconds(500))
        }
        return (try? await check()) == true
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
