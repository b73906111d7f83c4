/// A metric family: the samples that share one `# TYPE` / `# HELP` header.
public struct MetricFamily: Sendable, Hashable {
    /// Family name as declared in `# TYPE` (or the sample name for an undeclared family).
    public var name: String
    /// The `# HELP` text, unescaped, or `nil` when there was none.
    public var help: String?
    /// Declared type; `.untyped` when the family had no `# TYPE` line.
    public var type: MetricType
    /// Samples in text order.
    public var samples: [Sample]

    public init(name: String, help: String? = nil, type: MetricType = .untyped, samples: [Sample] = []) {
        self.name = name
        self.help = help
        self.type = type
        self.samples = samples
    }

    /// `true` when `sampleName` belongs to this family given its type (`x_bucket` for histogram `x`, …).
    public func owns(sampleName: String) -> Bool {
        guard sampleName.hasPrefix(name) else { return false }
        let rest = sampleName.dropFirst(name.count)
        return type.sampleSuffixes.contains { $0 == rest }
    }
}
