/// A parsed exposition: metric families in the order they first appeared.
public struct MetricSet: Sendable, Hashable {
    public var families: [MetricFamily]

    public init(families: [MetricFamily] = []) {
        self.families = families
    }

    /// The family declared (or first seen) as `name`, or `nil`.
    public func family(_ name: String) -> MetricFamily? {
        families.first { $0.name == name }
    }

    /// Every sample whose own name is `name` (e.g. `x_bucket`), across families, in text order.
    public func samples(_ name: String) -> [Sample] {
        families.flatMap { family in family.samples.filter { $0.name == name } }
    }

    /// Every sample in text order of families.
    public var allSamples: [Sample] {
        families.flatMap(\.samples)
    }

    /// Family names in order.
    public var familyNames: [String] {
        families.map(\.name)
    }

    /// Problems of every histogram family (see `MetricFamily.histogramProblems()`).
    public func histogramProblems() -> [HistogramProblem] {
        families.flatMap { $0.histogramProblems() }
    }
}
