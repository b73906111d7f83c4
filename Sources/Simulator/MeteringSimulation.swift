import Exposition
import PromQL

/// The simulated metering gateway: the consumer usage contract (`aifactory_usage_*`) for every
/// configured consumer subscription, at any elapsed time.
///
/// The contract (issue 5, item 6), which a real gateway will emit later:
/// - `aifactory_usage_tokens_total{tenant,pool,direction="input|output"}` (counter)
/// - `aifactory_usage_requests_total{tenant,pool,code}` (counter, HTTP status code)
/// - `aifactory_usage_request_duration_seconds{tenant,pool}` (histogram, end-to-end seconds)
///
/// `tenant` is the consumer. Scrape with `honor_labels: true`.
public struct MeteringSimulation: Sendable {
    public let consumers: [MeteringConsumer]
    let models: [MeteringModel]

    public init(consumers: [MeteringConsumer], seed: UInt64) {
        self.consumers = consumers
        models = consumers.map { MeteringModel(consumer: $0, seed: seed) }
    }

    /// The exposition at `t` seconds after start (valid and empty with no consumers).
    public func exposition(at t: Double) -> [UInt8] {
        var writer = ExpositionWriter(reservingCapacity: 1024 + 2048 * models.count)
        guard !models.isEmpty else { return writer.bytes }
        let readings = models.map { ($0, $0.reading(at: t)) }
        func base(_ model: MeteringModel) -> [Label] {
            [Label(ScopeLabel.pool, model.consumer.pool), Label(ScopeLabel.tenant, model.consumer.tenant)]
        }

        writer.header(name: "aifactory_usage_tokens_total", help: "Tokens metered per consumer subscription, by direction.", type: .counter)
        for (model, reading) in readings {
            for (direction, value) in [("input", reading.inputTokens), ("output", reading.outputTokens)] {
                writer.sample("aifactory_usage_tokens_total", [Label("direction", direction)] + base(model), value, format: .python)
            }
        }
        writer.header(name: "aifactory_usage_requests_total", help: "Requests metered per consumer subscription, by HTTP status code.", type: .counter)
        for (model, reading) in readings {
            for (code, value) in reading.byCode {
                writer.sample("aifactory_usage_requests_total", [Label("code", code)] + base(model), value, format: .python)
            }
        }
        let name = "aifactory_usage_request_duration_seconds"
        writer.header(name: name, help: "End-to-end request duration through the gateway, in seconds.", type: .histogram)
        for (model, reading) in readings {
            let count = reading.requests
            for (bound, cdf) in zip(model.latency.bounds, model.latency.cdf) {
                let labels = [Label("le", ExpositionWriter.pythonRepr(bound))] + base(model)
                writer.sample(name + "_bucket", labels, (count * cdf).rounded(.down), format: .python)
            }
            writer.sample(name + "_bucket", [Label("le", "+Inf")] + base(model), count, format: .python)
            writer.sample(name + "_sum", base(model), count * model.latency.mean, format: .python)
            writer.sample(name + "_count", base(model), count, format: .python)
        }
        return writer.bytes
    }

    /// `exposition(at:)` as text.
    public func text(at t: Double) -> String {
        String(decoding: exposition(at: t), as: UTF8.self)
    }
}
