/// One element of an instant-vector answer: a label set and its value at the evaluation time.
public struct VectorSample: Sendable, Hashable {
    public var labels: [String: String]
    public var value: Double
    /// Evaluation time, seconds since 1970-01-01 UTC.
    public var timestamp: Double

    public init(labels: [String: String], value: Double, timestamp: Double) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}
