/// The type of a PromQL expression's value (Prometheus's `ValueType`).
public enum ValueType: String, Sendable, Hashable {
    case scalar
    case vector
    case matrix
    case string
    case none

    /// The name Prometheus uses in messages ("instant vector", "range vector").
    public var documentedName: String {
        switch self {
        case .scalar: "scalar"
        case .vector: "instant vector"
        case .matrix: "range vector"
        case .string: "string"
        case .none: "none"
        }
    }
}

/// A PromQL expression: the typed AST produced by ``Parser`` and printed by ``Printer``.
///
/// Equality ignores source positions and compares strings byte for byte (no Unicode normalisation),
/// so `parse(print(e)) == e` is a meaningful round-trip property.
///
/// - Important: Code that must see every selector (``TenantScope``, ``Printer``, ``children``) switches
///   over this enum without a `default:` case, so adding a node kind fails to compile until each of them
///   decides what to do with it.
public indirect enum Expr: Sendable, Equatable {
    case number(NumberLiteral)
    case string(StringLiteral)
    case vectorSelector(VectorSelector)
    case matrixSelector(MatrixSelector)
    case subquery(SubqueryExpr)
    case paren(ParenExpr)
    case unary(UnaryExpr)
    case binary(BinaryExpr)
    case call(Call)
    case aggregate(AggregateExpr)
}

/// A number literal. `NaN` equals `NaN` here, so literals compare structurally.
public struct NumberLiteral: Sendable, Equatable {
    public var value: Double
    public var position: SourceRange

    public init(_ value: Double, position: SourceRange = SourceRange(start: 0, end: 0)) {
        self.value = value
        self.position = position
    }

    public static func == (lhs: NumberLiteral, rhs: NumberLiteral) -> Bool {
        lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN)
    }
}

/// A string literal holding its decoded value.
public struct StringLiteral: Sendable, Equatable {
    public var value: String
    public var position: SourceRange

    public init(_ value: String, position: SourceRange = SourceRange(start: 0, end: 0)) {
        self.value = value
        self.position = position
    }

    public static func == (lhs: StringLiteral, rhs: StringLiteral) -> Bool {
        lhs.value.utf8.elementsEqual(rhs.value.utf8)
    }
}

/// The label name Prometheus stores the metric name under.
public let metricNameLabel = "__name__"

/// One label matcher. Names and values are decoded strings compared byte for byte.
public struct LabelMatcher: Sendable, Equatable, CustomStringConvertible {
    public enum Op: String, Sendable, Hashable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case regexMatch = "=~"
        case regexNoMatch = "!~"
    }

    public var name: String
    public var op: Op
    public var value: String
    /// The compiled regular expression for `=~` and `!~` (anchored at both ends, `.` matches newline).
    public let regex: RE2Regex?

    /// Creates a matcher, compiling and validating the regular expression for regex operators.
    public init(name: String, op: Op, value: String) throws(RE2Regex.SyntaxError) {
        self.name = name
        self.op = op
        self.value = value
        switch op {
        case .equal, .notEqual: regex = nil
        case .regexMatch, .regexNoMatch: regex = try RE2Regex(value)
        }
    }

    /// An equality matcher, which never fails to build.
    public init(equal name: String, _ value: String) {
        self.name = name
        self.op = .equal
        self.value = value
        self.regex = nil
    }

    /// Whether a series whose label `name` has value `candidate` is selected (absent label = `""`).
    public func matches(_ candidate: String) -> Bool {
        switch op {
        case .equal: candidate.utf8.elementsEqual(value.utf8)
        case .notEqual: !candidate.utf8.elementsEqual(value.utf8)
        case .regexMatch: regex?.matches(candidate) ?? false
        case .regexNoMatch: !(regex?.matches(candidate) ?? true)
        }
    }

    /// True when this matcher is on the label `label` (byte comparison, no normalisation).
    public func isOn(_ label: String) -> Bool { name.utf8.elementsEqual(label.utf8) }

    public static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        lhs.op == rhs.op && lhs.name.utf8.elementsEqual(rhs.name.utf8) && lhs.value.utf8.elementsEqual(rhs.value.utf8)
    }

    public var description: String {
        var out = ""
        Printer.appendMatcher(self, to: &out)
        return out
    }
}

/// The `@` modifier.
public enum AtModifier: Sendable, Equatable {
    /// `@ <unix seconds>`, stored in milliseconds like Prometheus.
    case timestamp(milliseconds: Int64)
    /// `@ start()`
    case start
    /// `@ end()`
    case end
}

/// An instant vector selector: `metric{label="value"} offset 5m @ 1700000000`.
///
/// A metric name written outside braces (or quoted inside: `{"gpu.util"}`) is stored as the first
/// matcher, `__name__="…"`, so every way of naming a metric is one shape for the enforcer.
public struct VectorSelector: Sendable, Equatable {
    public var matchers: [LabelMatcher]
    /// Offset in milliseconds; 0 means none (Prometheus drops `offset 0s` too). Negative is allowed.
    public var offsetMilliseconds: Int64
    public var at: AtModifier?
    public var position: SourceRange

    public init(matchers: [LabelMatcher], offsetMilliseconds: Int64 = 0, at: AtModifier? = nil,
                position: SourceRange = SourceRange(start: 0, end: 0)) {
        self.matchers = matchers
        self.offsetMilliseconds = offsetMilliseconds
        self.at = at
        self.position = position
    }

    /// The metric name when exactly one `__name__="…"` matcher exists.
    public var metricName: String? {
        let names = matchers.filter { $0.isOn(metricNameLabel) }
        guard names.count == 1, let only = names.first, only.op == .equal else { return nil }
        return only.value
    }

    public static func == (lhs: VectorSelector, rhs: VectorSelector) -> Bool {
        lhs.matchers == rhs.matchers && lhs.offsetMilliseconds == rhs.offsetMilliseconds && lhs.at == rhs.at
    }
}

/// A range vector selector: `metric{…}[5m]`. Offset and `@` live on the inner selector, as in Prometheus.
public struct MatrixSelector: Sendable, Equatable {
    public var selector: VectorSelector
    public var rangeMilliseconds: Int64

    public init(selector: VectorSelector, rangeMilliseconds: Int64) {
        self.selector = selector
        self.rangeMilliseconds = rangeMilliseconds
    }
}

/// A subquery: `expr[range:step]`, step 0 meaning the default evaluation interval.
public struct SubqueryExpr: Sendable, Equatable {
    public var expr: Expr
    public var rangeMilliseconds: Int64
    public var stepMilliseconds: Int64
    public var offsetMilliseconds: Int64
    public var at: AtModifier?
    public var position: SourceRange

    public init(expr: Expr, rangeMilliseconds: Int64, stepMilliseconds: Int64 = 0, offsetMilliseconds: Int64 = 0,
                at: AtModifier? = nil, position: SourceRange = SourceRange(start: 0, end: 0)) {
        self.expr = expr
        self.rangeMilliseconds = rangeMilliseconds
        self.stepMilliseconds = stepMilliseconds
        self.offsetMilliseconds = offsetMilliseconds
        self.at = at
        self.position = position
    }

    public static func == (lhs: SubqueryExpr, rhs: SubqueryExpr) -> Bool {
        lhs.expr == rhs.expr && lhs.rangeMilliseconds == rhs.rangeMilliseconds
            && lhs.stepMilliseconds == rhs.stepMilliseconds && lhs.offsetMilliseconds == rhs.offsetMilliseconds
            && lhs.at == rhs.at
    }
}

/// `( expr )`, kept so printing reproduces the grouping the author wrote.
public struct ParenExpr: Sendable, Equatable {
    public var expr: Expr
    public var position: SourceRange

    public init(_ expr: Expr, position: SourceRange = SourceRange(start: 0, end: 0)) {
        self.expr = expr
        self.position = position
    }

    public static func == (lhs: ParenExpr, rhs: ParenExpr) -> Bool { lhs.expr == rhs.expr }
}

/// `-expr` or `+expr` (a sign on a number literal is folded into the literal, as Prometheus does).
public struct UnaryExpr: Sendable, Equatable {
    public enum Op: String, Sendable, Hashable {
        case add = "+"
        case sub = "-"
    }

    public var op: Op
    public var expr: Expr
    public var position: SourceRange

    public init(op: Op, expr: Expr, position: SourceRange = SourceRange(start: 0, end: 0)) {
        self.op = op
        self.expr = expr
        self.position = position
    }

    public static func == (lhs: UnaryExpr, rhs: UnaryExpr) -> Bool { lhs.op == rhs.op && lhs.expr == rhs.expr }
}

/// Binary operators, with Prometheus's precedence.
public enum BinaryOp: String, Sendable, Hashable, CaseIterable {
    case or, and, unless
    case eql = "==", neq = "!=", lss = "<", lte = "<=", gtr = ">", gte = ">="
    case add = "+", sub = "-"
    case mul = "*", div = "/", mod = "%", atan2
    case pow = "^"

    /// Higher binds tighter: or < and/unless < comparisons < +- < */%atan2 < ^.
    public var precedence: Int {
        switch self {
        case .or: 1
        case .and, .unless: 2
        case .eql, .neq, .lss, .lte, .gtr, .gte: 3
        case .add, .sub: 4
        case .mul, .div, .mod, .atan2: 5
        case .pow: 6
        }
    }

    /// Only `^` is right-associative.
    public var isRightAssociative: Bool { self == .pow }

    public var isComparison: Bool {
        switch self {
        case .eql, .neq, .lss, .lte, .gtr, .gte: true
        case .or, .and, .unless, .add, .sub, .mul, .div, .mod, .atan2, .pow: false
        }
    }

    public var isSetOperator: Bool {
        switch self {
        case .and, .or, .unless: true
        case .eql, .neq, .lss, .lte, .gtr, .gte, .add, .sub, .mul, .div, .mod, .atan2, .pow: false
        }
    }
}

/// How series on both sides of a binary operator are matched.
public struct VectorMatching: Sendable, Equatable {
    public enum Cardinality: String, Sendable, Hashable {
        case oneToOne = "one-to-one"
        case manyToOne = "many-to-one"
        case oneToMany = "one-to-many"
        case manyToMany = "many-to-many"
    }

    public var cardinality: Cardinality
    /// `on(…)` when true, `ignoring(…)` when false.
    public var on: Bool
    public var labels: [String]
    /// The extra labels of `group_left(…)` / `group_right(…)`.
    public var include: [String]

    public init(cardinality: Cardinality = .oneToOne, on: Bool = false, labels: [String] = [], include: [String] = []) {
        self.cardinality = cardinality
        self.on = on
        self.labels = labels
        self.include = include
    }

    public static func == (lhs: VectorMatching, rhs: VectorMatching) -> Bool {
        lhs.cardinality == rhs.cardinality && lhs.on == rhs.on && bytesEqual(lhs.labels, rhs.labels)
            && bytesEqual(lhs.include, rhs.include)
    }
}

/// `lhs op [bool] [on|ignoring (…)] [group_left|group_right (…)] rhs`.
public struct BinaryExpr: Sendable, Equatable {
    public var op: BinaryOp
    public var lhs: Expr
    public var rhs: Expr
    public var returnBool: Bool
    /// Nil when either side is a scalar (Prometheus drops matching then).
    public var matching: VectorMatching?

    public init(op: BinaryOp, lhs: Expr, rhs: Expr, returnBool: Bool = false, matching: VectorMatching? = nil) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.returnBool = returnBool
        self.matching = matching
    }
}

/// A function call checked against ``Function/table``.
public struct Call: Sendable, Equatable {
    public var function: Function
    public var args: [Expr]
    public var position: SourceRange

    public init(function: Function, args: [Expr], position: SourceRange = SourceRange(start: 0, end: 0)) {
        self.function = function
        self.args = args
        self.position = position
    }

    public static func == (lhs: Call, rhs: Call) -> Bool {
        lhs.function.name == rhs.function.name && lhs.args == rhs.args
    }
}

/// Aggregation operators.
public enum AggregateOp: String, Sendable, Hashable, CaseIterable {
    case sum, avg, count, min, max, group, stddev, stdvar, topk, bottomk
    case countValues = "count_values", quantile, limitk
    case limitRatio = "limit_ratio"

    /// Operators whose first argument is a parameter.
    public var hasParameter: Bool {
        switch self {
        case .topk, .bottomk, .countValues, .quantile, .limitk, .limitRatio: true
        case .sum, .avg, .count, .min, .max, .group, .stddev, .stdvar: false
        }
    }

    /// The parameter's type: a string for `count_values`, a scalar otherwise.
    public var parameterType: ValueType? {
        switch self {
        case .countValues: .string
        case .topk, .bottomk, .quantile, .limitk, .limitRatio: .scalar
        case .sum, .avg, .count, .min, .max, .group, .stddev, .stdvar: nil
        }
    }

    /// Behind `--enable-feature=promql-experimental-functions` in Prometheus.
    public var isExperimental: Bool { self == .limitk || self == .limitRatio }
}

/// `op [by|without (labels)] ([param,] expr)`.
public struct AggregateExpr: Sendable, Equatable {
    public var op: AggregateOp
    /// The parameter of `topk`, `bottomk`, `quantile`, `count_values`, `limitk`, `limit_ratio`.
    public var param: Expr?
    public var expr: Expr
    public var grouping: [String]
    public var without: Bool
    public var position: SourceRange

    public init(op: AggregateOp, param: Expr? = nil, expr: Expr, grouping: [String] = [], without: Bool = false,
                position: SourceRange = SourceRange(start: 0, end: 0)) {
        self.op = op
        self.param = param
        self.expr = expr
        self.grouping = grouping
        self.without = without
        self.position = position
    }

    public static func == (lhs: AggregateExpr, rhs: AggregateExpr) -> Bool {
        lhs.op == rhs.op && lhs.param == rhs.param && lhs.expr == rhs.expr && lhs.without == rhs.without
            && bytesEqual(lhs.grouping, rhs.grouping)
    }
}

func bytesEqual(_ lhs: [String], _ rhs: [String]) -> Bool {
    lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
}

// MARK: - Structure

extension Expr {
    /// Direct sub-expressions, in source order. An aggregation's parameter is a child: it can hold
    /// selectors (`topk(scalar(count(x)), y)`) and must be scoped like any other argument.
    public var children: [Expr] {
        switch self {
        case .number, .string, .vectorSelector, .matrixSelector:
            return []
        case .subquery(let node):
            return [node.expr]
        case .paren(let node):
            return [node.expr]
        case .unary(let node):
            return [node.expr]
        case .binary(let node):
            return [node.lhs, node.rhs]
        case .call(let node):
            return node.args
        case .aggregate(let node):
            if let param = node.param { return [param, node.expr] }
            return [node.expr]
        }
    }

    /// Visits this node and every descendant, parents before children.
    public func walk<Failure: Error>(_ visit: (Expr) throws(Failure) -> Void) throws(Failure) {
        try visit(self)
        for child in children { try child.walk(visit) }
    }

    /// Every vector selector in the tree, including those inside range selectors, in source order.
    public var selectors: [VectorSelector] {
        var found: [VectorSelector] = []
        walk { node in
            switch node {
            case .vectorSelector(let selector): found.append(selector)
            case .matrixSelector(let matrix): found.append(matrix.selector)
            case .number, .string, .subquery, .paren, .unary, .binary, .call, .aggregate: break
            }
        }
        return found
    }

    /// The value type, as Prometheus's `Expr.Type()`.
    public var type: ValueType {
        switch self {
        case .number: .scalar
        case .string: .string
        case .vectorSelector: .vector
        case .matrixSelector: .matrix
        case .subquery: .matrix
        case .paren(let node): node.expr.type
        case .unary(let node): node.expr.type
        case .binary(let node): node.lhs.type == .scalar && node.rhs.type == .scalar ? .scalar : .vector
        case .call(let node): node.function.returnType
        case .aggregate: .vector
        }
    }

    /// Where the expression starts in the source, for error messages.
    var startOffset: Int {
        switch self {
        case .number(let node): node.position.start
        case .string(let node): node.position.start
        case .vectorSelector(let node): node.position.start
        case .matrixSelector(let node): node.selector.position.start
        case .subquery(let node): node.position.start
        case .paren(let node): node.position.start
        case .unary(let node): node.position.start
        case .binary(let node): node.lhs.startOffset
        case .call(let node): node.position.start
        case .aggregate(let node): node.position.start
        }
    }
}
