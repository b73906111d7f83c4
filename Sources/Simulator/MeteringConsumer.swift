/// One consumer subscription the simulated metering gateway reports usage for.
///
/// `tenant` is the CONSUMER (the subscriber), not the provider whose hardware serves it: the
/// gateway is trusted platform infrastructure, so Prometheus scrapes it with `honor_labels: true`
/// and keeps this label as emitted.
public struct MeteringConsumer: Sendable, Hashable, Codable {
    public var tenant: String
    public var pool: String

    public init(tenant: String, pool: String) {
        self.tenant = tenant
        self.pool = pool
    }
}
