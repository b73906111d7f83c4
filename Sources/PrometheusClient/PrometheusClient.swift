import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PromQL

/// Reads the Prometheus HTTP API.
///
/// The query methods take a `ScopedQuery`, which only `PromQL.TenantScope` can create: code that
/// tries to send an unscoped string does not compile. Queries go as POST form bodies so long
/// queries never hit URL length limits. `basePath` and `headers` let the same client talk to
/// Prometheus, Thanos, VictoriaMetrics (`/select/0/prometheus`) and Mimir (`X-Scope-OrgID`).
public struct PrometheusClient: Sendable {
    public var baseURL: String
    public var headers: [(String, String)]
    public var timeout: Duration
    let http: HTTPClient

    public init(baseURL: String, headers: [(String, String)] = [], timeout: Duration = .seconds(10), http: HTTPClient = .shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.headers = headers
        self.timeout = timeout
        self.http = http
    }

    /// Instant query; returns the vector (a scalar answer comes back as one unlabelled sample).
    public func query(_ query: ScopedQuery, at time: Date? = nil) async throws(PrometheusClientError) -> [VectorSample] {
        var form = [("query", query.text)]
        if let time { form.append(("time", String(time.timeIntervalSince1970))) }
        let body = try await post("/api/v1/query", form: form)
        return try Self.decodeVector(body)
    }

    /// Whether `/-/ready` answers 200.
    public func isReady() async -> Bool {
        do {
            let request = makeRequest(path: "/-/ready", method: .GET)
            let response = try await http.execute(request, timeout: .seconds(2))
            _ = try await response.body.collect(upTo: 1 << 16)
            return response.status == .ok
        } catch {
            return false
        }
    }

    private func makeRequest(path: String, method: HTTPMethod) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        return request
    }

    private func post(_ path: String, form: [(String, String)]) async throws(PrometheusClientError) -> Data {
        var request = makeRequest(path: path, method: .POST)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: Self.formEncode(form)))
        let seconds = Int64(timeout.components.seconds)
        do {
            let response = try await http.execute(request, timeout: .seconds(max(1, seconds)))
            let buffer = try await response.body.collect(upTo: 64 << 20)
            let body = Data(buffer.readableBytesView)
            guard response.status == .ok else {
                let envelope = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
                let errorType = envelope?["errorType"] as? String ?? "http"
                let message = envelope?["error"] as? String ?? response.status.reasonPhrase
                throw PrometheusClientError.rejected(status: Int(response.status.code), errorType: errorType, message: message)
            }
            return body
        } catch let error as PrometheusClientError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw .timeout
        } catch {
            throw .unreachable(String(describing: error))
        }
    }

    static func formEncode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { name, value in
            (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }.joined(separator: "&")
    }

    static func decodeVector(_ body: Data) throws(PrometheusClientError) -> [VectorSample] {
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              json["status"] as? String == "success",
              let data = json["data"] as? [String: Any],
              let resultType = data["resultType"] as? String
        else { throw .malformedResponse("no success envelope") }
        func sample(_ pair: [Any]) -> (Double, Double)? {
            guard pair.count == 2, let ts = pair[0] as? Double ?? (pair[0] as? Int).map(Double.init), let text = pair[1] as? String else { return nil }
            return (ts, Double(text) ?? .nan)
        }
        switch resultType {
        case "scalar":
            guard let pair = data["result"] as? [Any], let (ts, value) = sample(pair) else { throw .malformedResponse("bad scalar") }
            return [VectorSample(labels: [:], value: value, timestamp: ts)]
        case "vector":
            guard let result = data["result"] as? [[String: Any]] else { throw .malformedResponse("bad vector") }
            return try result.map { (entry) throws(PrometheusClientError) -> VectorSample in
                guard let labels = entry["metric"] as? [String: String], let pair = entry["value"] as? [Any], let (ts, value) = sample(pair) else {
                    throw .malformedResponse("bad vector element")
                }
                return VectorSample(labels: labels, value: value, timestamp: ts)
            }
        default:
            throw .malformedResponse("unexpected result type \(resultType)")
        }
    }
}
