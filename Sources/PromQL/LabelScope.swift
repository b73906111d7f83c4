/// The rewriting engine behind every scope: confines PromQL queries so that every vector and range
/// selector anywhere in the tree ends up with exactly `label="value"` for each required label, or
/// the whole query is rejected.
///
/// `LabelScope` itself answers ``LabelScopedQuery``, which no metrics client accepts: it serves the
/// `promql enforce` command and tests. The scopes that reach Prometheus wrap it and answer their
/// own types: ``TenantScope`` (``ScopedQuery``), ``FleetScope`` (``FleetQuery``) and
/// ``PoolAggregateScope`` (``PoolAggregateQuery``). Several labels are applied in one rewrite, so a
/// tenant query narrowed to a node is parsed, scoped, printed and verified once.
///
/// Policy, decided on decoded strings (escapes resolved, byte comparison, case-sensitive, no Unicode
/// normalisation), for each required label:
/// - A selector without a matcher on the label gets `label="value"` added.
/// - Matchers on the label that can select the value (`="acme"`, `!="other"`, `=~"acme|beta"`, `=~".*"`)
///   are replaced by the exact matcher. One that cannot (`="other"`, `=""`, `!="acme"`, `!~"acme"`,
///   `=~"acm"`) rejects the query with ``PromQLError/outsideTenant(message:position:)``: silently
///   narrowing it would answer a different question than the one asked.
/// - Selectors are found everywhere: function arguments, both sides of every operator (including
///   `or`/`unless`), subqueries, and aggregation parameters (`topk(scalar(count(x)), y)`), which
///   prom-label-proxy misses.
/// - Constructs that could read or forge series outside the scope are
///   ``PromQLError/unscopable(message:position:)``: `info()` (reads series the text does not name),
///   `label_replace`/`label_join` writing a required label, `count_values` using it as output label.
/// - Pure literals (`1+1`, `time()`, `vector(0)`) have no selector and pass.
///
/// After rewriting, the result is printed, parsed again and verified by a separate walk.
public struct LabelScope: Sendable, Hashable {
    /// Why a scope cannot be built.
    public enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
        case emptyLabel
        case emptyValue
        /// `__name__` selects metrics, not tenants.
        case metricNameLabel
        /// The same label required twice (two values could never both hold).
        case duplicateLabel(String)
        /// No label at all: nothing would be confined.
        case noRequirement

        public var description: String {
            switch self {
            case .emptyLabel: "tenant label must not be empty"
            case .emptyValue: "tenant value must not be empty"
            case .metricNameLabel: "tenant label must not be __name__"
            case .duplicateLabel(let label): "the label \(label) is required twice"
            case .noRequirement: "a scope needs at least one label"
            }
        }
    }

    /// One `label="value"` every selector must end up with.
    public struct Requirement: Sendable, Hashable, CustomStringConvertible {
        public let label: String
        public let value: String

        public var description: String { "\(Printer.quotedLabel(label))=\(goQuote(value))" }
    }

    /// A label that must take one of a fixed list of values (the nodes a pool aggregate may
    /// average over); a selector may not carry its own matcher on it.
    struct Restriction: Sendable, Hashable {
        let label: String
        let values: [String]

        /// `^(?:a|b|c)$` in RE2 syntax (PromQL anchors it), each value quoted literally.
        var pattern: String { values.map(Self.literal).joined(separator: "|") }

        static func literal(_ value: String) -> String {
            var out = ""
            for character in value {
                if "\\.+*?()|[]{}^$".contains(character) { out.append("\\") }
                out.append(character)
            }
            return out
        }
    }

    /// The labels every selector is confined to, in the order given.
    public let requirements: [Requirement]
    /// Labels confined to a list of values (internal: only ``PoolAggregateScope`` sets them).
    var restrictions: [Restriction] = []
    public var options: Parser.Options

    /// The first required label (the only one for a single-label scope).
    public var label: String { requirements[0].label }
    /// The value of the first required label.
    public var value: String { requirements[0].value }

    public init(label: String, value: String, options: Parser.Options = .default) throws(ConfigurationError) {
        try self.init([(label, value)], options: options)
    }

    public init(_ pairs: [(label: String, value: String)], options: Parser.Options = .default) throws(ConfigurationError) {
        guard !pairs.isEmpty else { throw .noRequirement }
        var requirements: [Requirement] = []
        for (label, value) in pairs {
            guard !label.isEmpty else { throw .emptyLabel }
            guard !value.isEmpty else { throw .emptyValue }
            guard !label.utf8.elementsEqual(metricNameLabel.utf8) else { throw .metricNameLabel }
            guard !requirements.contains(where: { $0.label.utf8.elementsEqual(label.utf8) }) else { throw .duplicateLabel(label) }
            requirements.append(Requirement(label: label, value: value))
        }
        self.requirements = requirements
        self.options = options
    }

    /// Parses, scopes, prints, re-parses and verifies `query`.
    public func rewrite(_ query: String) throws(PromQLError) -> LabelScopedQuery {
        LabelScopedQuery(text: try rewrittenText(query, check: { _, _ throws(PromQLError) in }), matchers: requirements)
    }

    /// The shared rewrite of every scope: parse, `check` the parsed tree (a scope's own rule, such
    /// as the pool aggregate's "one number only"), scope, print, re-parse and verify.
    func rewrittenText(_ query: String, check: (Expr, [UInt8]) throws(PromQLError) -> Void) throws(PromQLError) -> String {
        let source = Array(query.utf8)
        let parsed = try Parser.parse(query, options: options)
        try check(parsed, source)
        let scoped = try scope(parsed, source: source)
        let text = Printer.print(scoped)
        // The verifier reads the text Prometheus will read, not our tree.
        let reparsed: Expr
        do {
            var verifyOptions = options
            verifyOptions.maxLength = max(options.maxLength, text.utf8.count)
            reparsed = try Parser.parse(text, options: verifyOptions)
        } catch {
            throw .unscopable(message: "internal error: the rewritten query does not parse (\(error))",
                              position: SourcePosition(range: SourceRange(start: 0, end: 0), in: source))
        }
        guard reparsed == scoped else {
            throw .unscopable(message: "internal error: the rewritten query does not re-parse to the same expression",
                              position: SourcePosition(range: SourceRange(start: 0, end: 0), in: source))
        }
        try verify(reparsed, source: Array(text.utf8))
        return text
    }

    /// Scopes a parsed expression. `source` is the query text, used only for error positions.
    public func scope(_ expr: Expr, source: [UInt8] = []) throws(PromQLError) -> Expr {
        switch expr {
        case .number, .string:
            return expr
        case .vectorSelector(let selector):
            return .vectorSelector(try scope(selector, source: source))
        case .matrixSelector(var matrix):
            matrix.selector = try scope(matrix.selector, source: source)
            return .matrixSelector(matrix)
        case .subquery(var subquery):
            subquery.expr = try scope(subquery.expr, source: source)
            return .subquery(subquery)
        case .paren(var paren):
            paren.expr = try scope(paren.expr, source: source)
            return .paren(paren)
        case .unary(var unary):
            unary.expr = try scope(unary.expr, source: source)
            return .unary(unary)
        case .binary(var binary):
            binary.lhs = try scope(binary.lhs, source: source)
            binary.rhs = try scope(binary.rhs, source: source)
            return .binary(binary)
        case .call(var call):
            try checkCall(call, source: source)
            var args: [Expr] = []
            args.reserveCapacity(call.args.count)
            for arg in call.args { args.append(try scope(arg, source: source)) }
            call.args = args
            return .call(call)
        case .aggregate(var aggregate):
            try checkAggregate(aggregate, source: source)
            if let param = aggregate.param { aggregate.param = try scope(param, source: source) }
            aggregate.expr = try scope(aggregate.expr, source: source)
            return .aggregate(aggregate)
        }
    }

    /// Confirms that every selector carries exactly one matcher on the label, `label="value"`, and that
    /// no unscopable construct remains.
    public func verify(_ expr: Expr, source: [UInt8] = []) throws(PromQLError) {
        try expr.walk { (node: Expr) throws(PromQLError) in
            switch node {
            case .vectorSelector(let selector):
                try verify(selector, source: source)
            case .matrixSelector(let matrix):
                try verify(matrix.selector, source: source)
            case .call(let call):
                try checkCall(call, source: source)
            case .aggregate(let aggregate):
                try checkAggregate(aggregate, source: source)
            case .number, .string, .subquery, .paren, .unary, .binary:
                break
            }
        }
    }

    // MARK: - Selectors

    private func scope(_ selector: VectorSelector, source: [UInt8]) throws(PromQLError) -> VectorSelector {
        var result = selector
        result.matchers.removeAll(keepingCapacity: true)
        for matcher in selector.matchers {
            guard let requirement = requirements.first(where: { matcher.isOn($0.label) }) else {
                result.matchers.append(matcher)
                continue
            }
            guard matcher.matches(requirement.value) else {
                throw .outsideTenant(
                    message: "matcher \(matcher) cannot select \(requirement)",
                    position: SourcePosition(range: selector.position, in: source))
            }
        }
        // Narrowing matchers first, the first requirement (the tenant) last: the text a tenant
        // query narrowed to a node has always had, so cached and logged queries keep their form.
        for requirement in requirements.reversed() {
            result.matchers.append(LabelMatcher(equal: requirement.label, requirement.value))
        }
        for restriction in restrictions {
            if let own = selector.matchers.first(where: { $0.isOn(restriction.label) }) {
                throw .outsideTenant(
                    message: "matcher \(own) is not allowed: \(Printer.quotedLabel(restriction.label)) is fixed by the scope",
                    position: SourcePosition(range: selector.position, in: source))
            }
            do {
                result.matchers.append(try LabelMatcher(name: restriction.label, op: .regexMatch, value: restriction.pattern))
            } catch {
                throw .unscopable(message: "internal error: the scope's value list is not a valid pattern (\(error))",
                                  position: SourcePosition(range: selector.position, in: source))
            }
        }
        return result
    }

    private func verify(_ selector: VectorSelector, source: [UInt8]) throws(PromQLError) {
        for requirement in requirements {
            let onLabel = selector.matchers.filter { $0.isOn(requirement.label) }
            guard onLabel.count == 1, let only = onLabel.first, only.op == .equal, only.value.utf8.elementsEqual(requirement.value.utf8)
            else {
                throw .unscopable(message: "internal error: a selector is not confined to the tenant after rewriting",
                                  position: SourcePosition(range: selector.position, in: source))
            }
        }
        for restriction in restrictions {
            let onLabel = selector.matchers.filter { $0.isOn(restriction.label) }
            guard onLabel.count == 1, let only = onLabel.first, only.op == .regexMatch, only.value.utf8.elementsEqual(restriction.pattern.utf8)
            else {
                throw .unscopable(message: "internal error: a selector is not confined to the scope's \(restriction.label) list after rewriting",
                                  position: SourcePosition(range: selector.position, in: source))
            }
        }
    }

    // MARK: - Forgery

    private func checkCall(_ call: Call, source: [UInt8]) throws(PromQLError) {
        let position = SourcePosition(range: call.position, in: source)
        if call.function.readsUnnamedSeries {
            throw .unscopable(message: "\(call.function.name)() reads series the query does not name", position: position)
        }
        if let index = call.function.writesLabelArgument, index < call.args.count {
            guard let written = Self.stringValue(call.args[index]) else {
                throw .unscopable(message: "\(call.function.name)() writes a label that cannot be determined",
                                  position: position)
            }
            if let requirement = requirements.first(where: { written.utf8.elementsEqual($0.label.utf8) }) {
                throw .unscopable(message: "\(call.function.name)() would write the scope label "
                    + Printer.quotedLabel(requirement.label), position: position)
            }
        }
    }

    private func checkAggregate(_ aggregate: AggregateExpr, source: [UInt8]) throws(PromQLError) {
        guard aggregate.op == .countValues, let param = aggregate.param else { return }
        let position = SourcePosition(range: aggregate.position, in: source)
        guard let written = Self.stringValue(param) else {
            throw .unscopable(message: "count_values() writes a label that cannot be determined", position: position)
        }
        if let requirement = requirements.first(where: { written.utf8.elementsEqual($0.label.utf8) }) {
            throw .unscopable(message: "count_values() would write the scope label \(Printer.quotedLabel(requirement.label))",
                              position: position)
        }
    }


    /// The value of a string-typed expression: a literal, possibly in parentheses.
    static func stringValue(_ expr: Expr) -> String? {
        var current = expr
        for _ in 0..<1024 {
            switch current {
            case .string(let literal): return literal.value
            case .paren(let paren): current = paren.expr
            case .number, .vectorSelector, .matrixSelector, .subquery, .unary, .binary, .call, .aggregate: return nil
            }
        }
        return nil
    }
}

extension Printer {
    /// A label name as it would appear in a selector: bare when plain, quoted otherwise.
    static func quotedLabel(_ name: String) -> String {
        if isPlainLabelName(name) { return name }
        var out = ""
        appendQuoted(name, to: &out)
        return out
    }
}
