/// A read across tenants: the operator's fleet view and the check that asks whether Prometheus
/// sees a node at all (whatever tenant label its series carry).
///
/// The answer type, ``FleetQuery``, is accepted only by the metrics client's fleet reads, never by
/// its tenant reads. The initializer is `package`: the read model makes one from an operator
/// capability, or narrowed to one node for the holder's connection check.
public struct FleetScope: Sendable, Hashable {
    let engine: LabelScope?

    /// Every series (no confinement).
    package init(options: Parser.Options = .default) {
        self.engine = nil
        self.options = options
    }

    /// Series carrying every `label="value"` of `narrowing`.
    package init(narrowing: [(label: String, value: String)], options: Parser.Options = .default) throws(LabelScope.ConfigurationError) {
        self.engine = try LabelScope(narrowing, options: options)
        self.options = options
    }

    let options: Parser.Options

    /// The matchers every query gets (none for the whole fleet).
    public var matchers: [LabelScope.Requirement] { engine?.requirements ?? [] }

    /// Parses and prints `query` (canonical text), confining it to the narrowing matchers.
    public func rewrite(_ query: String) throws(PromQLError) -> FleetQuery {
        if let engine {
            return FleetQuery(text: try engine.rewrittenText(query, check: { _, _ throws(PromQLError) in }), matchers: engine.requirements)
        }
        return FleetQuery(text: Printer.print(try Parser.parse(query, options: options)), matchers: [])
    }
}

/// A query ``FleetScope`` checked: readable only through the metrics client's fleet reads.
public struct FleetQuery: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    /// The narrowing matchers on every selector (empty for the whole fleet).
    public let matchers: [LabelScope.Requirement]

    init(text: String, matchers: [LabelScope.Requirement]) {
        self.text = text
        self.matchers = matchers
    }

    public var description: String { text }
}
