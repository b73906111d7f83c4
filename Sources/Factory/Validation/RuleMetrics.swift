import PromQL

/// Which metrics an alert expression needs before it can ever be true.
///
/// Not every selector is needed: `a or b` can fire with either side, `a unless b` with `a` alone,
/// `absent(x)` fires precisely when `x` is missing. A selector without a plain `__name__="…"`
/// matcher (a regex over names) is taken as satisfiable: there is no single name to look for.
enum RuleMetrics {
    /// Every metric name the expression mentions outside `absent()`; `nil` when it does not parse.
    static func names(in expression: String) -> Set<String>? {
        guard let expr = try? Parser.parse(expression) else { return nil }
        var names: Set<String> = []
        collect(expr, into: &names)
        return names
    }

    /// The names whose absence makes the expression unable to return anything, given the names
    /// that exist; empty when it can fire. For `a or b` with both missing, both are named.
    static func blocking(_ expression: String, exported: Set<String>) -> Set<String>? {
        guard let expr = try? Parser.parse(expression) else { return nil }
        return missing(expr, exported)
    }

    private static func missing(_ expr: Expr, _ exported: Set<String>) -> Set<String> {
        switch expr {
        case .number, .string:
            return []
        case .vectorSelector(let selector):
            return name(selector).map { exported.contains($0) ? [] : [$0] } ?? []
        case .matrixSelector(let matrix):
            return name(matrix.selector).map { exported.contains($0) ? [] : [$0] } ?? []
        case .subquery(let subquery):
            return missing(subquery.expr, exported)
        case .paren(let paren):
            return missing(paren.expr, exported)
        case .unary(let unary):
            return missing(unary.expr, exported)
        case .binary(let binary):
            let left = missing(binary.lhs, exported)
            switch binary.op {
            case .or:
                let right = missing(binary.rhs, exported)
                return left.isEmpty || right.isEmpty ? [] : left.union(right)
            case .unless:
                return left
            default:
                return left.union(missing(binary.rhs, exported))
            }
        case .call(let call):
            guard !["absent", "absent_over_time"].contains(call.function.name) else { return [] }
            return call.args.reduce(into: Set<String>()) { $0.formUnion(missing($1, exported)) }
        case .aggregate(let aggregate):
            return missing(aggregate.expr, exported)
        }
    }

    private static func collect(_ expr: Expr, into names: inout Set<String>) {
        switch expr {
        case .number, .string:
            return
        case .vectorSelector(let selector):
            if let name = name(selector) { names.insert(name) }
        case .matrixSelector(let matrix):
            if let name = name(matrix.selector) { names.insert(name) }
        case .subquery(let subquery):
            collect(subquery.expr, into: &names)
        case .paren(let paren):
            collect(paren.expr, into: &names)
        case .unary(let unary):
            collect(unary.expr, into: &names)
        case .binary(let binary):
            collect(binary.lhs, into: &names)
            collect(binary.rhs, into: &names)
        case .call(let call):
            guard !["absent", "absent_over_time"].contains(call.function.name) else { return }
            for argument in call.args { collect(argument, into: &names) }
        case .aggregate(let aggregate):
            if let parameter = aggregate.param { collect(parameter, into: &names) }
            collect(aggregate.expr, into: &names)
        }
    }

    private static func name(_ selector: VectorSelector) -> String? {
        selector.matchers.first { $0.name == metricNameLabel && $0.op == .equal }?.value
    }
}
