/// The one pool figure a consumer may read: an aggregate over the pool's contributing nodes that
/// comes back as a single number.
///
/// Two rules beyond scoping keep a provider's hardware invisible to the pool's consumers:
/// - every selector is confined to `pool="<pool>"` *and* to the nodes the inventory says
///   contribute to it (`node=~"a|b"`), so an exporter on another node that emits its own
///   `pool` label cannot move the figure;
/// - the expression must reduce every series to one label-free number (`avg(x)`, `sum(a)/sum(b)`):
///   no `by`/`without` grouping, no selector outside an aggregation, no `topk` — nothing in the
///   answer can tell one node or GPU from another.
///
/// The initializer is `package`: the read model makes one from a consumer's own subscription.
public struct PoolAggregateScope: Sendable, Hashable {
    public let pool: String
    /// The contributing nodes, sorted.
    public let nodes: [String]
    let engine: LabelScope

    /// Why a pool aggregate cannot be built.
    public enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
        case scope(LabelScope.ConfigurationError)
        /// A pool with no contributing node has nothing to average.
        case noContributingNodes(pool: String)

        public var description: String {
            switch self {
            case .scope(let error): error.description
            case .noContributingNodes(let pool): "pool \(pool) has no contributing node"
            }
        }
    }

    package init(pool: String, nodes: [String], options: Parser.Options = .default) throws(ConfigurationError) {
        let nodes = Set(nodes).sorted()
        guard !nodes.isEmpty else { throw .noContributingNodes(pool: pool) }
        guard !nodes.contains(where: \.isEmpty) else { throw .scope(.emptyValue) }
        do {
            var engine = try LabelScope([(ScopeLabel.pool, pool)], options: options)
            engine.restrictions = [LabelScope.Restriction(label: ScopeLabel.node, values: nodes)]
            self.engine = engine
        } catch {
            throw .scope(error)
        }
        self.pool = pool
        self.nodes = nodes
    }

    /// Checks that `query` is one label-free number, then confines it to the pool and its nodes.
    public func rewrite(_ query: String) throws(PromQLError) -> PoolAggregateQuery {
        let text = try engine.rewrittenText(query) { expr, source throws(PromQLError) in
            guard Self.isLabelFree(expr) else {
                throw .unscopable(
                    message: "a pool figure must aggregate every series into one number (sum, avg, min, max or count with no by/without grouping)",
                    position: SourcePosition(range: SourceRange(start: 0, end: 0), in: source))
            }
        }
        return PoolAggregateQuery(text: text, pool: pool, nodes: nodes)
    }

    /// Whether every series `expr` can answer has no labels at all.
    static func isLabelFree(_ expr: Expr) -> Bool {
        switch expr {
        case .number, .string:
            return true
        case .paren(let paren):
            return isLabelFree(paren.expr)
        case .unary(let unary):
            return isLabelFree(unary.expr)
        case .binary(let binary):
            return isLabelFree(binary.lhs) && isLabelFree(binary.rhs)
        case .aggregate(let aggregate):
            switch aggregate.op {
            case .sum, .avg, .count, .min, .max, .group, .stddev, .stdvar, .quantile:
                return aggregate.grouping.isEmpty && !aggregate.without
            case .topk, .bottomk, .countValues, .limitk, .limitRatio:
                return false
            }
        case .call(let call):
            // Element-wise arithmetic keeps an empty label set empty; anything that may add or
            // keep labels (label_replace, histogram_quantile over buckets, …) is refused.
            guard labelFreeFunctions.contains(call.function.name) else { return false }
            return call.args.allSatisfy(isLabelFree)
        case .vectorSelector, .matrixSelector, .subquery:
            return false
        }
    }

    static let labelFreeFunctions: Set<String> = [
        "abs", "ceil", "floor", "round", "sqrt", "exp", "ln", "log2", "log10", "clamp", "clamp_min", "clamp_max", "scalar", "vector",
    ]
}

/// A pool figure ``PoolAggregateScope`` checked: readable only through the metrics client's pool
/// read, never through its tenant reads.
public struct PoolAggregateQuery: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public let pool: String
    public let nodes: [String]

    init(text: String, pool: String, nodes: [String]) {
        self.text = text
        self.pool = pool
        self.nodes = nodes
    }

    public var description: String { text }
}
