import Testing
@testable import PromQL

/// Input → expected tree (or error), as Prometheus's `testExpr` table.
struct ParseCase: CustomTestStringConvertible, Sendable {
    enum Expectation: Sendable {
        case tree(Expr)
        case error(String)
    }

    var input: String
    var expected: Expectation
    var testDescription: String { input }

    init(_ input: String, _ tree: Expr) {
        self.input = input
        expected = .tree(tree)
    }

    init(_ input: String, error: String) {
        self.input = input
        expected = .error(error)
    }
}

// Small builders for expected trees.
private func num(_ value: Double) -> Expr { .number(NumberLiteral(value)) }
private func str(_ value: String) -> Expr { .string(StringLiteral(value)) }
private func sel(_ name: String?, _ matchers: [LabelMatcher] = [], offset: Int64 = 0, at: AtModifier? = nil) -> VectorSelector {
    var all = matchers
    if let name { all.insert(LabelMatcher(equal: "__name__", name), at: 0) }
    return VectorSelector(matchers: all, offsetMilliseconds: offset, at: at)
}
private func vs(_ name: String?, _ matchers: [LabelMatcher] = [], offset: Int64 = 0, at: AtModifier? = nil) -> Expr {
    .vectorSelector(sel(name, matchers, offset: offset, at: at))
}
private func eq(_ name: String, _ value: String) -> LabelMatcher { LabelMatcher(equal: name, value) }
private func m(_ name: String, _ op: LabelMatcher.Op, _ value: String) -> LabelMatcher {
    (try? LabelMatcher(name: name, op: op, value: value)) ?? LabelMatcher(equal: name, value)
}
private func bin(_ op: BinaryOp, _ lhs: Expr, _ rhs: Expr, bool: Bool = false, matching: VectorMatching? = nil) -> Expr {
    var resolved = matching
    if resolved == nil, lhs.type == .vector, rhs.type == .vector {
        resolved = VectorMatching(cardinality: op.isSetOperator ? .manyToMany : .oneToOne)
    }
    return .binary(BinaryExpr(op: op, lhs: lhs, rhs: rhs, returnBool: bool, matching: resolved))
}
private func call(_ name: String, _ args: Expr...) -> Expr {
    .call(Call(function: Function.named(name)!, args: args))
}
private func agg(_ op: AggregateOp, _ expr: Expr, param: Expr? = nil, by: [String] = [], without: Bool = false) -> Expr {
    .aggregate(AggregateExpr(op: op, param: param, expr: expr, grouping: by, without: without))
}
private func matrix(_ selector: VectorSelector, _ range: Int64) -> Expr {
    .matrixSelector(MatrixSelector(selector: selector, rangeMilliseconds: range))
}
private func paren(_ expr: Expr) -> Expr { .paren(ParenExpr(expr)) }
private func neg(_ expr: Expr) -> Expr { .unary(UnaryExpr(op: .sub, expr: expr)) }

@Suite("Parser")
struct ParserTests {
    static let literals: [ParseCase] = [
        ParseCase("1", num(1)),
        ParseCase("+Inf", num(.infinity)),
        ParseCase("-Inf", num(-.infinity)),
        ParseCase("NaN", num(.nan)),
        ParseCase(".5", num(0.5)),
        ParseCase("5.", num(5)),
        ParseCase("123.4567", num(123.4567)),
        ParseCase("5e-3", num(0.005)),
        ParseCase("5e3", num(5000)),
        ParseCase("0xc", num(12)),
        ParseCase("0755", num(493)),
        ParseCase("+5.5e-3", num(0.0055)),
        ParseCase("-0755", num(-493)),
        ParseCase("1_000", num(1000)),
        ParseCase("5m", num(300)),
        ParseCase("-1h", num(-3600)),
        ParseCase(#""double-quoted string \" with escape""#, str("double-quoted string \" with escape")),
        ParseCase(#"'single-quoted string \' with escape'"#, str("single-quoted string ' with escape")),
        ParseCase("`backtick-quoted string`", str("backtick-quoted string")),
        ParseCase(#""\a\b\f\n\r\t\v\\\" - \xFF\377\u1234\U00010111\U0001011111☺""#,
                  error: "1:1: parse error: string escapes produce invalid UTF-8"),
        ParseCase(#""\u1234\U00010111\U0001011111☺""#, str("\u{1234}\u{10111}\u{10111}11☺")),
    ]

    static let operators: [ParseCase] = [
        ParseCase("1 + 1", bin(.add, num(1), num(1))),
        ParseCase("1 - 1", bin(.sub, num(1), num(1))),
        ParseCase("1 * 1", bin(.mul, num(1), num(1))),
        ParseCase("1 % 1", bin(.mod, num(1), num(1))),
        ParseCase("1 / 1", bin(.div, num(1), num(1))),
        ParseCase("1 == bool 1", bin(.eql, num(1), num(1), bool: true)),
        ParseCase("1 != bool 1", bin(.neq, num(1), num(1), bool: true)),
        ParseCase("1 > bool 1", bin(.gtr, num(1), num(1), bool: true)),
        ParseCase("1 >= bool 1", bin(.gte, num(1), num(1), bool: true)),
        ParseCase("1 < bool 1", bin(.lss, num(1), num(1), bool: true)),
        ParseCase("1 <= bool 1", bin(.lte, num(1), num(1), bool: true)),
        ParseCase("1 atan2 1", bin(.atan2, num(1), num(1))),
        ParseCase("-1^2", neg(bin(.pow, num(1), num(2)))),
        ParseCase("-1*2", bin(.mul, num(-1), num(2))),
        ParseCase("-1+2", bin(.add, num(-1), num(2))),
        ParseCase("-1^-2", neg(bin(.pow, num(1), num(-2)))),
        ParseCase("+1 + -2 * 1", bin(.add, num(1), bin(.mul, num(-2), num(1)))),
        ParseCase("1 + 2/(3*1)", bin(.add, num(1), bin(.div, num(2), paren(bin(.mul, num(3), num(1)))))),
        ParseCase("1 < bool 2 - 1 * 2", bin(.lss, num(1), bin(.sub, num(2), bin(.mul, num(1), num(2))), bool: true)),
        ParseCase("2 ^ 3 ^ 2", bin(.pow, num(2), bin(.pow, num(3), num(2)))),
        ParseCase("2 - 3 - 4", bin(.sub, bin(.sub, num(2), num(3)), num(4))),
        ParseCase("-a", neg(vs("a"))),
        ParseCase("-a * b", bin(.mul, neg(vs("a")), vs("b"))),
        ParseCase("-a ^ b", neg(bin(.pow, vs("a"), vs("b")))),
        ParseCase("- - a", neg(neg(vs("a")))),
        ParseCase("+a", .unary(UnaryExpr(op: .add, expr: vs("a")))),
        ParseCase("foo * bar", bin(.mul, vs("foo"), vs("bar"))),
        ParseCase("foo * sum", bin(.mul, vs("foo"), vs("sum"))),
        ParseCase("foo == 1", bin(.eql, vs("foo"), num(1))),
        ParseCase("foo == bool 1", bin(.eql, vs("foo"), num(1), bool: true)),
        ParseCase("2.5 / bar", bin(.div, num(2.5), vs("bar"))),
        ParseCase("foo and bar", bin(.and, vs("foo"), vs("bar"))),
        ParseCase("foo or bar", bin(.or, vs("foo"), vs("bar"))),
        ParseCase("foo unless bar", bin(.unless, vs("foo"), vs("bar"))),
        ParseCase("foo + bar or bla and blub",
                  bin(.or, bin(.add, vs("foo"), vs("bar")), bin(.and, vs("bla"), vs("blub")))),
        ParseCase("foo and bar unless baz or qux",
                  bin(.or, bin(.unless, bin(.and, vs("foo"), vs("bar")), vs("baz")), vs("qux"))),
        ParseCase("bar + on(foo) bla / on(baz, buz) group_right(test) blub",
                  bin(.add, vs("bar"),
                      bin(.div, vs("bla"), vs("blub"),
                          matching: VectorMatching(cardinality: .oneToMany, on: true, labels: ["baz", "buz"], include: ["test"])),
                      matching: VectorMatching(on: true, labels: ["foo"]))),
        ParseCase("foo * on(test,blub) bar",
                  bin(.mul, vs("foo"), vs("bar"), matching: VectorMatching(on: true, labels: ["test", "blub"]))),
        ParseCase("foo * on(test,blub) group_left bar",
                  bin(.mul, vs("foo"), vs("bar"),
                      matching: VectorMatching(cardinality: .manyToOne, on: true, labels: ["test", "blub"]))),
        ParseCase("foo and on(test,blub) bar",
                  bin(.and, vs("foo"), vs("bar"),
                      matching: VectorMatching(cardinality: .manyToMany, on: true, labels: ["test", "blub"]))),
        ParseCase("foo and on() bar",
                  bin(.and, vs("foo"), vs("bar"), matching: VectorMatching(cardinality: .manyToMany, on: true))),
        ParseCase("foo and ignoring(test,blub) bar",
                  bin(.and, vs("foo"), vs("bar"), matching: VectorMatching(cardinality: .manyToMany, labels: ["test", "blub"]))),
        ParseCase("foo unless on(bar) baz",
                  bin(.unless, vs("foo"), vs("baz"), matching: VectorMatching(cardinality: .manyToMany, on: true, labels: ["bar"]))),
        ParseCase("foo / on(test,blub) group_left(bar) bar",
                  bin(.div, vs("foo"), vs("bar"),
                      matching: VectorMatching(cardinality: .manyToOne, on: true, labels: ["test", "blub"], include: ["bar"]))),
        ParseCase("foo - ignoring(test,blub) group_right(bar,foo) bar",
                  bin(.sub, vs("foo"), vs("bar"),
                      matching: VectorMatching(cardinality: .oneToMany, labels: ["test", "blub"], include: ["bar", "foo"]))),
        ParseCase("foo > bool on(a) bar",
                  bin(.gtr, vs("foo"), vs("bar"), bool: true, matching: VectorMatching(on: true, labels: ["a"]))),
        ParseCase("1 + on() 2", bin(.add, num(1), num(2))),
        // Errors.
        ParseCase("1+", error: "1:3: parse error: unexpected end of input"),
        ParseCase(".", error: "1:1: parse error: unexpected character: '.'"),
        ParseCase("1 !~ 1", error: "1:3: parse error: unexpected character after '!': '~'"),
        ParseCase("-\"string\"", error: "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"string\""),
        ParseCase("-test[5m]", error: "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"range vector\""),
        ParseCase("*test", error: "1:1: parse error: unexpected <op:*>"),
        ParseCase("1 offset 1d", error: "1:3: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
        ParseCase("foo offset 1s offset 2s", error: "1:15: parse error: offset may not be set multiple times"),
        ParseCase("a - on(b) ignoring(c) d", error: "1:11: parse error: unexpected <ignoring>"),
        ParseCase("1 and 1", error: "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
        ParseCase("1 == 1", error: "1:3: parse error: comparisons between scalars must use BOOL modifier"),
        ParseCase("1 + bool 1", error: "1:3: parse error: bool modifier can only be used on comparison operators"),
        ParseCase("foo + bool bar", error: "1:5: parse error: bool modifier can only be used on comparison operators"),
        ParseCase("foo and on(bar) group_left(baz) bar", error: "1:1: parse error: no grouping allowed for \"and\" operation"),
        ParseCase("foo * on(bar) group_left(bar) baz", error: "1:5: parse error: label \"bar\" must not occur in ON and GROUP clause at once"),
        ParseCase("1 + on(a) foo", error: "1:1: parse error: vector matching only allowed between instant vectors"),
        ParseCase("foo[5m] + 1", error: "1:1: parse error: binary expression must contain only scalar and instant vector types"),
        ParseCase("\"a\" + 1", error: "1:1: parse error: binary expression must contain only scalar and instant vector types"),
    ]

    static let selectors: [ParseCase] = [
        ParseCase("foo", vs("foo")),
        ParseCase("min", vs("min")),
        ParseCase("by", vs("by")),
        ParseCase("offset", vs("offset")),
        ParseCase("foo offset 5m", vs("foo", offset: 300_000)),
        ParseCase("foo offset -7m", vs("foo", offset: -420_000)),
        ParseCase("foo OFFSET 1h30m", vs("foo", offset: 5_400_000)),
        ParseCase("foo offset 1.5", vs("foo", offset: 1500)),
        ParseCase("foo @ 1603774568", vs("foo", at: .timestamp(milliseconds: 1_603_774_568_000))),
        ParseCase("foo @ -100", vs("foo", at: .timestamp(milliseconds: -100_000))),
        ParseCase("foo @ .3", vs("foo", at: .timestamp(milliseconds: 300))),
        ParseCase("foo @ 3.", vs("foo", at: .timestamp(milliseconds: 3000))),
        ParseCase("foo @ 3.33", vs("foo", at: .timestamp(milliseconds: 3330))),
        ParseCase("foo @ 3.3333", vs("foo", at: .timestamp(milliseconds: 3333))),
        ParseCase("foo @ 3.3335", vs("foo", at: .timestamp(milliseconds: 3334))),
        ParseCase("foo @ 3e2", vs("foo", at: .timestamp(milliseconds: 300_000))),
        ParseCase("foo @ start()", vs("foo", at: .start)),
        ParseCase("foo @ end()", vs("foo", at: .end)),
        ParseCase("foo @ 10 offset 5m", vs("foo", offset: 300_000, at: .timestamp(milliseconds: 10_000))),
        ParseCase("foo offset 5m @ 10", vs("foo", offset: 300_000, at: .timestamp(milliseconds: 10_000))),
        ParseCase("foo:bar{a=\"bc\"}", vs("foo:bar", [eq("a", "bc")])),
        ParseCase("foo{NaN='bc'}", vs("foo", [eq("NaN", "bc")])),
        ParseCase("foo{bar='}'}", vs("foo", [eq("bar", "}")])),
        ParseCase("foo{a=\"b\", foo!=\"bar\", test=~\"test\", bar!~\"baz\"}",
                  vs("foo", [eq("a", "b"), m("foo", .notEqual, "bar"), m("test", .regexMatch, "test"), m("bar", .regexNoMatch, "baz")])),
        ParseCase("foo{a=\"b\", foo!=\"bar\",}", vs("foo", [eq("a", "b"), m("foo", .notEqual, "bar")])),
        ParseCase("{__name__=\"foo\"}", vs("foo")),
        ParseCase("{\"foo\"}", vs("foo")),
        ParseCase("{\"foo.bar\", \"a.b\"=\"c\"}", vs("foo.bar", [eq("a.b", "c")])),
        ParseCase("{\"a.b\"=\"c\", \"foo.bar\"}", vs(nil, [eq("a.b", "c"), eq("__name__", "foo.bar")])),
        ParseCase("{'foo'=\"bar\"}", vs(nil, [eq("foo", "bar")])),
        ParseCase("{a=~\".+\"}", vs(nil, [m("a", .regexMatch, ".+")])),
        ParseCase("{a=~\".*\", b!=\"\"}", vs(nil, [m("a", .regexMatch, ".*"), m("b", .notEqual, "")])),
        ParseCase("foo{by=\"x\", on=\"y\", sum=\"z\"}", vs("foo", [eq("by", "x"), eq("on", "y"), eq("sum", "z")])),
        ParseCase("test[5s]", matrix(sel("test"), 5000)),
        ParseCase("test[5m]", matrix(sel("test"), 300_000)),
        ParseCase("test[5m30s]", matrix(sel("test"), 330_000)),
        ParseCase("test[5h] OFFSET 5m", matrix(sel("test", offset: 300_000), 18_000_000)),
        ParseCase("test[5d] OFFSET 10s", matrix(sel("test", offset: 10_000), 432_000_000)),
        ParseCase("test[5w] offset 2w", matrix(sel("test", offset: 1_209_600_000), 3_024_000_000)),
        ParseCase("test{a=\"b\"}[5y] OFFSET 3d", matrix(sel("test", [eq("a", "b")], offset: 259_200_000), 157_680_000_000)),
        ParseCase("test[5m] @ 10", matrix(sel("test", at: .timestamp(milliseconds: 10_000)), 300_000)),
        ParseCase("test[300]", matrix(sel("test"), 300_000)),
        ParseCase("test[1.5]", matrix(sel("test"), 1500)),
        ParseCase("test[0x10]", matrix(sel("test"), 16_000)),
        // Errors.
        ParseCase("foo{", error: "1:5: parse error: unexpected end of input inside braces"),
        ParseCase("{", error: "1:2: parse error: unexpected end of input inside braces"),
        ParseCase("{}", error: "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ParseCase("{x=\"\"}", error: "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ParseCase("{x=~\".*\"}", error: "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ParseCase("{x!~\".+\"}", error: "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ParseCase("{x!=\"a\"}", error: "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ParseCase("foo{__name__=\"bar\"}", error: "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""),
        ParseCase("foo{\"bar\"}", error: "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""),
        ParseCase("foo{a=\"b\" or c=\"d\"}", error: "1:11: parse error: unexpected identifier \"or\" in label matching, expected \",\" or \"}\""),
        ParseCase("foo{a}", error: "1:6: parse error: unexpected \"}\" in label matching, expected label matching operator"),
        ParseCase("foo{a=}", error: "1:7: parse error: unexpected \"}\" in label matching, expected string"),
        ParseCase("foo{,}", error: "1:5: parse error: unexpected \",\" in label matching, expected identifier or \"}\""),
        ParseCase("foo{a=~\"(\"}", error: "1:5: parse error: error parsing regexp: missing closing ): `(`: `(`"),
        ParseCase("foo{a=~\"(?=x)\"}", error: "1:5: parse error: error parsing regexp: invalid or unsupported Perl syntax: `(?=`: `(?=x)`"),
        ParseCase("foo{\"\"=\"x\"}", error: "1:5: parse error: label name must not be empty"),
        ParseCase("foo[5mm]", error: "1:5: parse error: bad number or duration syntax: \"5mm\""),
        ParseCase("foo[5m1]", error: "1:5: parse error: bad number or duration syntax: \"5m1\""),
        ParseCase("foo[5m:1m1]", error: "1:8: parse error: bad number or duration syntax: \"1m1\""),
        ParseCase("foo[0m]", error: "1:5: parse error: duration must be greater than 0"),
        ParseCase("foo[\"5m\"]", error: "1:5: parse error: unexpected string \"\\\"5m\\\"\" in subquery selector, expected number or duration"),
        ParseCase("foo[]", error: "1:5: parse error: unexpected \"]\" in subquery selector, expected number or duration"),
        ParseCase("foo[-1]", error: "1:5: parse error: unexpected <op:-> in subquery selector, expected number or duration"),
        ParseCase("some_metric[5m] OFFSET 1mm", error: "1:24: parse error: bad number or duration syntax: \"1mm\""),
        ParseCase("some_metric[5m] OFFSET", error: "1:23: parse error: unexpected end of input in offset, expected number or duration"),
        ParseCase("some_metric OFFSET 1m[5m]", error: "1:22: parse error: no offset modifiers allowed before range"),
        ParseCase("some_metric @ 123 [5m]", error: "1:19: parse error: no @ modifiers allowed before range"),
        ParseCase("(foo + bar)[5m]", error: "1:12: parse error: ranges only allowed for vector selectors"),
        ParseCase("foo @ 1 @ 2", error: "1:9: parse error: @ <timestamp> may not be set multiple times"),
        ParseCase("foo @ Inf", error: "1:7: parse error: timestamp out of bounds for @ modifier: inf"),
        ParseCase("foo @ start", error: "1:12: parse error: unexpected end of input in @, expected \"(\""),
        ParseCase("sum(foo) @ 10", error: "1:10: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
        ParseCase("on", error: "1:1: parse error: unexpected <on>"),
        ParseCase("foo bar", error: "1:5: parse error: unexpected identifier \"bar\""),
    ]

    static let aggregations: [ParseCase] = [
        ParseCase("sum by (foo)(some_metric)", agg(.sum, vs("some_metric"), by: ["foo"])),
        ParseCase("avg by (foo)(some_metric)", agg(.avg, vs("some_metric"), by: ["foo"])),
        ParseCase("max by (foo)(some_metric)", agg(.max, vs("some_metric"), by: ["foo"])),
        ParseCase("sum without (foo) (some_metric)", agg(.sum, vs("some_metric"), by: ["foo"], without: true)),
        ParseCase("sum (some_metric) without (foo)", agg(.sum, vs("some_metric"), by: ["foo"], without: true)),
        ParseCase("stddev(some_metric)", agg(.stddev, vs("some_metric"))),
        ParseCase("stdvar by (foo)(some_metric)", agg(.stdvar, vs("some_metric"), by: ["foo"])),
        ParseCase("sum by ()(some_metric)", agg(.sum, vs("some_metric"))),
        ParseCase("sum by (foo,bar,)(some_metric)", agg(.sum, vs("some_metric"), by: ["foo", "bar"])),
        ParseCase("sum by (foo,)(some_metric)", agg(.sum, vs("some_metric"), by: ["foo"])),
        ParseCase("topk(5, some_metric)", agg(.topk, vs("some_metric"), param: num(5))),
        ParseCase("count_values(\"value\", some_metric)", agg(.countValues, vs("some_metric"), param: str("value"))),
        ParseCase("sum without(and, by, avg, count, alert, annotations)(some_metric)",
                  agg(.sum, vs("some_metric"), by: ["and", "by", "avg", "count", "alert", "annotations"], without: true)),
        ParseCase("sum by (\"foo.bar\") (x)", agg(.sum, vs("x"), by: ["foo.bar"])),
        ParseCase("quantile(0.9, x)", agg(.quantile, vs("x"), param: num(0.9))),
        ParseCase("limitk(2, x)", agg(.limitk, vs("x"), param: num(2))),
        ParseCase("limit_ratio(0.5, x)", agg(.limitRatio, vs("x"), param: num(0.5))),
        ParseCase("topk(scalar(count(x)), y)", agg(.topk, vs("y"), param: call("scalar", agg(.count, vs("x"))))),
        ParseCase("SUM BY (foo) (x)", agg(.sum, vs("x"), by: ["foo"])),
        // Errors.
        ParseCase("sum without(==)(some_metric)", error: "1:13: parse error: unexpected <op:==> in grouping opts, expected label"),
        ParseCase("sum without(,)(some_metric)", error: "1:13: parse error: unexpected \",\" in grouping opts, expected label"),
        ParseCase("sum without(foo,,)(some_metric)", error: "1:17: parse error: unexpected \",\" in grouping opts, expected label"),
        ParseCase("sum some_metric by (test)", error: "1:5: parse error: unexpected identifier \"some_metric\""),
        ParseCase("sum (some_metric) by test", error: "1:22: parse error: unexpected identifier \"test\" in grouping opts, expected \"(\""),
        ParseCase("sum (some_metric) by test)", error: "1:26: parse error: unexpected right parenthesis ')'"),
        ParseCase("sum () by (test)", error: "1:1: parse error: no arguments for aggregate expression provided"),
        ParseCase("MAX by (test) (some_metric) by (test)", error: "1:29: parse error: unexpected <by>"),
        ParseCase("topk(some_metric)", error: "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1"),
        ParseCase("topk(some_metric,)", error: "1:17: parse error: trailing commas not allowed in function call args"),
        ParseCase("topk(some_metric, other_metric)", error: "1:6: parse error: expected type scalar in aggregation parameter, got instant vector"),
        ParseCase("count_values(5, other_metric)", error: "1:14: parse error: expected type string in aggregation parameter, got scalar"),
        ParseCase("sum(rate(x[5m])[5m])", error: "1:16: parse error: ranges only allowed for vector selectors"),
        ParseCase("sum(x[5m])", error: "1:5: parse error: expected type instant vector in aggregation expression, got range vector"),
        ParseCase("sum by (without) (x)", error: "1:9: parse error: unexpected <without> in grouping opts, expected label"),
        ParseCase("sum by (a:b) (x)", error: "1:9: parse error: unexpected metric identifier \"a:b\" in grouping opts, expected label"),
        ParseCase("sum by (inf) (x)", error: "1:9: parse error: unexpected number \"inf\" in grouping opts, expected label"),
    ]

    static let calls: [ParseCase] = [
        ParseCase("time()", call("time")),
        ParseCase("floor(some_metric{foo!=\"bar\"})", call("floor", vs("some_metric", [m("foo", .notEqual, "bar")]))),
        ParseCase("rate(some_metric[5m])", call("rate", matrix(sel("some_metric"), 300_000))),
        ParseCase("round(some_metric)", call("round", vs("some_metric"))),
        ParseCase("round(some_metric, 5)", call("round", vs("some_metric"), num(5))),
        ParseCase("hour()", call("hour")),
        ParseCase("label_join(x, \"d\", \",\")", call("label_join", vs("x"), str("d"), str(","))),
        ParseCase("label_join(x, \"d\", \",\", \"a\", \"b\", \"c\")",
                  call("label_join", vs("x"), str("d"), str(","), str("a"), str("b"), str("c"))),
        ParseCase("sort_by_label(x, \"a\", \"b\")", call("sort_by_label", vs("x"), str("a"), str("b"))),
        ParseCase("info(x)", call("info", vs("x"))),
        ParseCase("vector(time())", call("vector", call("time"))),
        ParseCase("rate(x [5m])", call("rate", matrix(sel("x"), 300_000))),
        // Errors.
        ParseCase("floor()", error: "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 0"),
        ParseCase("floor(some_metric, other_metric)", error: "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 2"),
        ParseCase("floor(some_metric, 1)", error: "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 2"),
        ParseCase("floor(1)", error: "1:7: parse error: expected type instant vector in call to function \"floor\", got scalar"),
        ParseCase("hour(some_metric, some_metric, some_metric)", error: "1:1: parse error: expected at most 1 argument(s) in call to \"hour\", got 3"),
        ParseCase("time(some_metric)", error: "1:1: parse error: expected 0 argument(s) in call to \"time\", got 1"),
        ParseCase("non_existent_function_far_bar()", error: "1:1: parse error: unknown function with name \"non_existent_function_far_bar\""),
        ParseCase("rate(some_metric)", error: "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
        ParseCase("label_replace(a, `b`, `c\\xff`, `d`, `.*`)", call("label_replace", vs("a"), str("b"), str("c\\xff"), str("d"), str(".*"))),
        ParseCase("label_join(x)", error: "1:1: parse error: expected at least 3 argument(s) in call to \"label_join\", got 1"),
        ParseCase("rate(x[5m],)", error: "1:11: parse error: trailing commas not allowed in function call args"),
        ParseCase("foo:bar(x)", error: "1:8: parse error: unexpected \"(\""),
        ParseCase("Rate(x[5m])", error: "1:1: parse error: unknown function with name \"Rate\""),
    ]

    static let subqueries: [ParseCase] = [
        ParseCase("foo{bar=\"baz\"}[10m:6s]",
                  .subquery(SubqueryExpr(expr: vs("foo", [eq("bar", "baz")]), rangeMilliseconds: 600_000, stepMilliseconds: 6000))),
        ParseCase("foo{bar=\"baz\"}[10m5s:1h6ms]",
                  .subquery(SubqueryExpr(expr: vs("foo", [eq("bar", "baz")]), rangeMilliseconds: 605_000, stepMilliseconds: 3_600_006))),
        ParseCase("foo[10m:]", .subquery(SubqueryExpr(expr: vs("foo"), rangeMilliseconds: 600_000))),
        ParseCase("min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:5s])",
                  call("min_over_time", .subquery(SubqueryExpr(
                      expr: call("rate", matrix(sel("foo", [eq("bar", "baz")]), 2000)), rangeMilliseconds: 300_000, stepMilliseconds: 5000)))),
        ParseCase("min_over_time(rate(foo[2s])[5m:])[4m:3s]",
                  .subquery(SubqueryExpr(expr: call("min_over_time", .subquery(SubqueryExpr(
                      expr: call("rate", matrix(sel("foo"), 2000)), rangeMilliseconds: 300_000))),
                      rangeMilliseconds: 240_000, stepMilliseconds: 3000))),
        ParseCase("min_over_time(rate(foo[2s])[5m:] offset 4m)[4m:3s]",
                  .subquery(SubqueryExpr(expr: call("min_over_time", .subquery(SubqueryExpr(
                      expr: call("rate", matrix(sel("foo"), 2000)), rangeMilliseconds: 300_000, offsetMilliseconds: 240_000))),
                      rangeMilliseconds: 240_000, stepMilliseconds: 3000))),
        ParseCase("sum without(and, by, avg)(some_metric) [30m:10s]",
                  .subquery(SubqueryExpr(expr: agg(.sum, vs("some_metric"), by: ["and", "by", "avg"], without: true),
                                         rangeMilliseconds: 1_800_000, stepMilliseconds: 10_000))),
        ParseCase("some_metric OFFSET 1m [10m:5s]",
                  .subquery(SubqueryExpr(expr: vs("some_metric", offset: 60_000), rangeMilliseconds: 600_000, stepMilliseconds: 5000))),
        ParseCase("(foo + bar{nm=\"val\"})[5m:]",
                  .subquery(SubqueryExpr(expr: paren(bin(.add, vs("foo"), vs("bar", [eq("nm", "val")]))), rangeMilliseconds: 300_000))),
        ParseCase("(foo + bar{nm=\"val\"})[5m:] offset 10m",
                  .subquery(SubqueryExpr(expr: paren(bin(.add, vs("foo"), vs("bar", [eq("nm", "val")]))), rangeMilliseconds: 300_000,
                                         offsetMilliseconds: 600_000))),
        ParseCase("foo[5m:] @ start() offset 1m",
                  .subquery(SubqueryExpr(expr: vs("foo"), rangeMilliseconds: 300_000, offsetMilliseconds: 60_000, at: .start))),
        // Errors.
        ParseCase("test[5d] OFFSET 10s [10m:5s]", error: "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
        ParseCase("(foo + bar{nm=\"val\"})[5m:][10m:5s]", error: "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
        ParseCase("rate(food[1m])[1h] offset 1h", error: "1:15: parse error: ranges only allowed for vector selectors"),
        ParseCase("foo[5m:0s]", error: "1:8: parse error: duration must be greater than 0"),
        ParseCase("foo[5m:1m:1m]", error: "1:10: parse error: unexpected colon ':'"),
        ParseCase("foo[:5m]", error: "1:5: parse error: unexpected \":\" in subquery selector, expected number or duration"),
        ParseCase("foo[5m 1m]", error: "1:8: parse error: unexpected duration \"1m\" in subquery or range, expected \":\" or \"]\""),
        ParseCase("1[5m:]", error: "1:1: parse error: subquery is only allowed on instant vector, got scalar instead"),
    ]

    static let comments: [ParseCase] = [
        ParseCase("foo # comment", vs("foo")),
        ParseCase("foo{a=\"b\" # comment\n}", vs("foo", [eq("a", "b")])),
        ParseCase("# comment\nfoo", vs("foo")),
        ParseCase("foo\n# comment\n+ bar", bin(.add, vs("foo"), vs("bar"))),
        ParseCase("", error: "1:1: parse error: no expression found in input"),
        ParseCase("# just a comment", error: "1:1: parse error: no expression found in input"),
        ParseCase("   \n\t", error: "1:1: parse error: no expression found in input"),
        ParseCase("((foo)", error: "1:7: parse error: unclosed left parenthesis"),
        ParseCase("(foo))", error: "1:6: parse error: unexpected right parenthesis ')'"),
        ParseCase("()", error: "1:2: parse error: unexpected \")\""),
        ParseCase("(1, 2)", error: "1:3: parse error: unexpected \",\" in paren expression, expected \")\""),
    ]

    @Test("parses literals", arguments: literals)
    func parseLiterals(_ scenario: ParseCase) { check(scenario) }

    @Test("parses operators with Prometheus precedence", arguments: operators)
    func parseOperators(_ scenario: ParseCase) { check(scenario) }

    @Test("parses selectors and modifiers", arguments: selectors)
    func parseSelectors(_ scenario: ParseCase) { check(scenario) }

    @Test("parses aggregations", arguments: aggregations)
    func parseAggregations(_ scenario: ParseCase) { check(scenario) }

    @Test("parses function calls against the function table", arguments: calls)
    func parseCalls(_ scenario: ParseCase) { check(scenario) }

    @Test("parses subqueries", arguments: subqueries)
    func parseSubqueries(_ scenario: ParseCase) { check(scenario) }

    @Test("skips comments and reports empty input", arguments: comments)
    func parseComments(_ scenario: ParseCase) { check(scenario) }

    @Test("every function in the table type-checks with its declared arguments")
    func everyFunction() throws {
        for function in Function.table.values {
            let args = function.argumentTypes.map { type -> String in
                switch type {
                case .scalar: "1"
                case .vector: "x"
                case .matrix: "x[5m]"
                case .string: "\"a\""
                case .none: "x"
                }
            }
            let query = "\(function.name)(\(args.joined(separator: ", ")))"
            let expr = try Parser.parse(query)
            #expect(expr.type == function.returnType, "\(query)")
        }
    }

    @Test("experimental functions can be switched off")
    func experimentalOff() {
        let options = Parser.Options(experimentalFunctions: false)
        #expect(throws: PromQLError.self) { try Parser.parse("info(x)", options: options) }
        #expect(throws: PromQLError.self) { try Parser.parse("limitk(1, x)", options: options) }
        #expect((try? Parser.parse("rate(x[5m])", options: options)) != nil)
    }

    @Test("errors distinguish syntax, type, length and depth")
    func errorKinds() {
        #expect { try Parser.parse("foo{") } throws: { ($0 as? PromQLError)?.code == "syntax" }
        #expect { try Parser.parse("rate(x)") } throws: { ($0 as? PromQLError)?.code == "type" }
        #expect { try Parser.parse("x", options: Parser.Options(maxLength: 0)) } throws: {
            ($0 as? PromQLError) == .tooLong(length: 1, limit: 0)
        }
        #expect { try Parser.parse("((x))", options: Parser.Options(maxDepth: 2)) } throws: {
            ($0 as? PromQLError)?.code == "too_deep"
        }
        #expect((try? Parser.parse("((x))", options: Parser.Options(maxDepth: 3))) != nil)
    }

    @Test("positions count lines and byte columns")
    func positions() {
        do {
            _ = try Parser.parse("sum(\n  rate(x[5m])\n  ) by (é) }")
            Issue.record("expected an error")
        } catch {
            #expect(error.position?.line == 3)
            #expect(error.description.hasPrefix("3:"))
            #expect(error.userMessage.contains("line 3"))
        }
    }

    private func check(_ scenario: ParseCase) {
        switch scenario.expected {
        case .tree(let expected):
            do {
                let parsed = try Parser.parse(scenario.input)
                #expect(parsed == expected, "\(parsed.json)")
            } catch {
                Issue.record("unexpected error: \(error)")
            }
        case .error(let message):
            do {
                let parsed = try Parser.parse(scenario.input)
                Issue.record("expected error \(message), parsed \(parsed)")
            } catch {
                #expect(error.description == message)
            }
        }
    }
}
