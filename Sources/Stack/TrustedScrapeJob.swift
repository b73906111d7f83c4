/// A scrape job for trusted platform infrastructure whose own labels are kept (`honor_labels: true`).
///
/// Node exporters never are: their `tenant` comes from the inventory. The metering gateway is
/// the exception — the `tenant` it emits is the *consumer* that sent the request, which is exactly
/// what the usage view must read; it carries no node identity and gets no target labels.
public struct TrustedScrapeJob: Sendable, Hashable {
    public var name: String
    public var address: String
    public var metricsPath: String

    public init(name: String, address: String, metricsPath: String) {
        self.name = name
        self.address = address
        self.metricsPath = metricsPath
    }
}
