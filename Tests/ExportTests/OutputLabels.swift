import PromQL

/// Which labels an expression's result is guaranteed to carry, from the AST alone.
///
/// A plain selector keeps every label (`.all`: Prometheus adds `tenant` and `node` as target
/// labels to every scraped series); aggregations, `absent*` and arithmetic with `on` narrow it.
/// Conservative: where a rule could drop a label, the label counts as lost.
enum OutputLabels: Equatable {
    case all
    case some(Set<String>)

    func contains(_ label: String) -> Bool {
        switch self {
        case .all: true
        case .some(let set): set.contains(label)
        }
    }

    func intersection(_ other: OutputLabels) -> OutputLabels {
        switch (self, other) {
        case (.all, _): other
        case (_, .all): self
        case (.some(let a), .some(let b)): .some(a.intersection(b))
        }
    }

    func subtracting(_ labels: [String]) -> OutputLabels {
        switch self {
        case .all: .all  // unknown input: the dropped labels are not tenant/node in our rules
        case .some(let set): .some(set.subtracting(labels))
        }
    }

    static func of(_ expr: Expr) -> OutputLabels {
        switch expr {
        case .number, .string: return .some([])
        case .vectorSelector: return .all
        case .matrixSelector: return .all
        case .subquery(let node): return of(node.expr)
        case .paren(let node): return of(node.expr)
        case .unary(let node): return of(node.expr)
        case .aggregate(let node):
            if node.without {
                return of(node.expr).subtracting(node.grouping)
            }
            return of(node.expr).intersection(.some(Set(node.grouping)))
        case .call(let node):
            switch node.function.name {
            case "absent", "absent_over_time":
                let selector = node.args.first.flatMap { arg -> VectorSelector? in
                    switch arg {
                    case .vectorSelector(let s): s
                    case .matrixSelector(let m): m.selector
                    default: nil
                    }
                }
                let equal = selector?.matchers.filter { $0.op == .equal && $0.name != metricNameLabel }.map(\.name) ?? []
                return .some(Set(equal))
            case "vector", "time", "scalar", "pi": return .some([])
            case "histogram_quantile", "quantile_over_time":
                return node.args.count > 1 ? of(node.args[1]) : .some([])
            default:
                return node.args.first.map(of) ?? .some([])
            }
        case .binary(let node):
            let lhs = of(node.lhs), rhs = of(node.rhs)
            let lhsIsScalar = isScalar(node.lhs), rhsIsScalar = isScalar(node.rhs)
            if lhsIsScalar { return rhs }
            if rhsIsScalar { return lhs }
            switch node.op {
            case .or: return lhs.intersection(rhs)
            case .and, .unless: return lhs
            default:
                if node.op.isComparison && !node.returnBool { return lhs }
                if let matching = node.matching, matching.on, matching.cardinality == .oneToOne {
                    return lhs.intersection(.some(Set(matching.labels)))
                }
                return lhs
            }
        }
    }

    private static func isScalar(_ expr: Expr) -> Bool {
        switch expr {
        case .number: true
        case .paren(let node): isScalar(node.expr)
        case .unary(let node): isScalar(node.expr)
        case .binary(let node): isScalar(node.lhs) && isScalar(node.rhs)
        case .call(let node): node.function.name == "scalar" || node.function.name == "time" || node.function.name == "pi"
        default: false
        }
    }
}
