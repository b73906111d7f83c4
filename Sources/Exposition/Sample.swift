/// One sample line: a series (name + labels in their written order), a value and an optional timestamp.
///
/// Labels keep the order they were written in, because exporter-faithfulness tests compare it
/// (dcgm-exporter writes `gpu, UUID, pci_bus_id, …`; prometheus_client sorts alphabetically).
public struct Sample: Sendable, Hashable {
    /// The sample's own name (`x_bucket`, `x_total`, …), not necessarily the family name.
    public var name: String
    /// Labels in written order, values unescaped.
    public var labels: [Label]
    /// The value; `NaN`, `+Inf` and `-Inf` are allowed.
    public var value: Double
    /// Optional timestamp in milliseconds since the Unix epoch.
    public var timestampMilliseconds: Int64?
    /// 1-based line number in the parsed text (0 for samples not read from text).
    public var line: Int

    public init(name: String, labels: [Label] = [], value: Double, timestampMilliseconds: Int64? = nil, line: Int = 0) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestampMilliseconds = timestampMilliseconds
        self.line = line
    }

    /// The value of label `name`, or `nil` when the sample does not carry it.
    public subscript(label name: String) -> String? {
        labels.first { $0.name == name }?.value
    }

    /// Label names in written order.
    public var labelNames: [String] { labels.map(\.name) }
}
