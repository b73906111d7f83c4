import Exposition
import Foundation
import Synchronization

/// The usage contract on the gateway's `/metrics` (docs/GATEWAY.md "Metering"): what the page's
/// consumer view reads, per tenant, pool, model and key id. The ledger is the record for quotas
/// and billing; these series are its live view for Prometheus.
public final class GatewayMetrics: Sendable {
    struct Series: Hashable {
        var tenant: String
        var pool: String
        var model: String
        var key: String
    }

    private struct State {
        var tokens: [Series: (input: Double, output: Double)] = [:]
        var requests: [Series: [Int: Double]] = [:]
        var durations: [Series: (buckets: [Double], sum: Double, count: Double)] = [:]
        var limited: [Series: [String: Double]] = [:]
    }

    static let bounds: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]
    private let state = Mutex(State())

    public init() {}

    func record(_ series: Series, status: Int, tokensIn: Int, tokensOut: Int, seconds: Double) {
        state.withLock { state in
            var tokens = state.tokens[series] ?? (0, 0)
            tokens.input += Double(tokensIn)
            tokens.output += Double(tokensOut)
            state.tokens[series] = tokens
            state.requests[series, default: [:]][status, default: 0] += 1
            var duration = state.durations[series] ?? (Array(repeating: 0, count: Self.bounds.count), 0, 0)
            for (index, bound) in Self.bounds.enumerated() where seconds <= bound { duration.buckets[index] += 1 }
            duration.sum += seconds
            duration.count += 1
            state.durations[series] = duration
        }
    }

    func rateLimited(_ series: Series, limit: String) {
        state.withLock { $0.limited[series, default: [:]][limit, default: 0] += 1 }
    }

    public func exposition() -> String {
        let snapshot = state.withLock { $0 }
        var writer = ExpositionWriter()
        func labels(_ series: Series) -> [Label] {
            [Label("tenant", series.tenant), Label("pool", series.pool), Label("model", series.model), Label("key", series.key)]
        }
        let order: (Series, Series) -> Bool = { ($0.tenant, $0.pool, $0.model, $0.key) < ($1.tenant, $1.pool, $1.model, $1.key) }
        writer.header(name: "aifactory_usage_tokens_total", help: "Tokens metered per consumer subscription, by direction.", type: .counter)
        for series in snapshot.tokens.keys.sorted(by: order) {
            let tokens = snapshot.tokens[series]!
            writer.sample("aifactory_usage_tokens_total", [Label("direction", "input")] + labels(series), tokens.input, format: .python)
            writer.sample("aifactory_usage_tokens_total", [Label("direction", "output")] + labels(series), tokens.output, format: .python)
        }
        writer.header(name: "aifactory_usage_requests_total", help: "Requests metered per consumer subscription, by HTTP status code.", type: .counter)
        for series in snapshot.requests.keys.sorted(by: order) {
            for (code, count) in snapshot.requests[series]!.sorted(by: { $0.key < $1.key }) {
                writer.sample("aifactory_usage_requests_total", [Label("code", String(code))] + labels(series), count, format: .python)
            }
        }
        let duration = "aifactory_usage_request_duration_seconds"
        writer.header(name: duration, help: "End-to-end request seconds through the gateway.", type: .histogram)
        for series in snapshot.durations.keys.sorted(by: order) {
            let value = snapshot.durations[series]!
            for (index, bound) in Self.bounds.enumerated() {
                writer.sample(duration + "_bucket", labels(series) + [Label("le", Self.le(bound))], value.buckets[index], format: .python)
            }
            writer.sample(duration + "_bucket", labels(series) + [Label("le", "+Inf")], value.count, format: .python)
            writer.sample(duration + "_sum", labels(series), value.sum, format: .python)
            writer.sample(duration + "_count", labels(series), value.count, format: .python)
        }
        writer.header(name: "aifactory_usage_rate_limited_total", help: "Requests refused with 429, by the limit they hit.", type: .counter)
        for series in snapshot.limited.keys.sorted(by: order) {
            for (limit, count) in snapshot.limited[series]!.sorted(by: { $0.key < $1.key }) {
                writer.sample("aifactory_usage_rate_limited_total", [Label("limit", limit)] + labels(series), count, format: .python)
            }
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private static func le(_ bound: Double) -> String {
        bound == bound.rounded() ? String(format: "%.1f", bound) : String(bound)
    }
}
