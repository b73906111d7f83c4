/// One series of a range-query (matrix) answer: its labels and samples in time order.
public struct RangeSeries: Sendable, Hashable {
    public var labels: [String: String]
    public var points: [SamplePoint]

    public init(labels: [String: String], points: [SamplePoint]) {
        self.labels = labels
        self.points = points
    }
}
