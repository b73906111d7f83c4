import Testing
@testable import PromQL

/// Input → canonical output; an omitted output means the input is already canonical (`printer_test.go`).
struct PrintCase: CustomTestStringConvertible, Sendable {
    var input: String
    var output: String
    var testDescription: String { input }

    init(_ input: String, _ output: String? = nil) {
        self.input = input
        self.output = output ?? input
    }
}

@Suite("Printer")
struct PrinterTests {
    static let cases: [PrintCase] = [
        // Selectors.
        PrintCase("up"),
        PrintCase(#"up{job="a"}"#),
        PrintCase(#"up{job="a",instance!="b"}"#, #"up{job="a", instance!="b"}"#),
        PrintCase(#"up{job=~"a.*", c!~"d"}"#),
        PrintCase(#"{__name__="up"}"#, "up"),
        PrintCase(#"{"up"}"#, "up"),
        PrintCase(#"{"gpu.util"}"#, #"{__name__="gpu.util"}"#),
        PrintCase(#"{"a.b"="c"}"#),
        PrintCase(#"{__name__=~"up|down"}"#),
        PrintCase(#"{__name__="a", __name__="b"}"#),
        PrintCase(#"{job="a", __name__="up"}"#),
        PrintCase("vllm:kv_cache_usage_perc"),
        PrintCase("sum", #"{__name__="sum"}"#),
        PrintCase("offset", #"{__name__="offset"}"#),
        PrintCase(#"{__name__="inf"}"#),
        PrintCase(#"{__name__="on"}"#),
        PrintCase("rate", "rate"),
        PrintCase(#"up{by="x", on="y"}"#),
        PrintCase(#"up{'job'='a'}"#, #"up{job="a"}"#),
        PrintCase("up{job=`a\\b`}", #"up{job="a\\b"}"#),
        // Modifiers.
        PrintCase("up offset 5m"),
        PrintCase("up offset -5m"),
        PrintCase("up offset 90s", "up offset 1m30s"),
        PrintCase("up offset 1.5", "up offset 1s500ms"),
        PrintCase("up offset 0", "up"),
        PrintCase("up @ 100", "up @ 100.000"),
        PrintCase("up @ -1.5", "up @ -1.500"),
        PrintCase("up @ start()"),
        PrintCase("up offset 5m @ end()", "up @ end() offset 5m"),
        PrintCase("up[5m]"),
        PrintCase("up[300]", "up[5m]"),
        PrintCase("up[0]"),
        PrintCase("up[0.0001]", "up[0]"),
        PrintCase("up[5m:0]", "up[5m:]"),
        PrintCase("up[1d1h]"),
        PrintCase("up[365d]", "up[1y]"),
        PrintCase("up[14d]", "up[2w]"),
        PrintCase("up[1500ms]", "up[1s500ms]"),
        PrintCase("up[5m] offset 1m @ 10", "up[5m] @ 10.000 offset 1m"),
        PrintCase("up[5m:]"),
        PrintCase("up[5m:1m]"),
        PrintCase("up[5m:1m] offset 1h @ start()", "up[5m:1m] @ start() offset 1h"),
        PrintCase("rate(up[5m])[1h:]"),
        PrintCase("(a + b)[5m:]"),
        // Operators.
        PrintCase("a+b", "a + b"),
        PrintCase("a + b * c"),
        PrintCase("(a + b) * c"),
        PrintCase("a - (b - c)"),
        PrintCase("2 ^ 3 ^ 2"),
        PrintCase("(2 ^ 3) ^ 2"),
        PrintCase("-a"),
        PrintCase("- - a", "--a"),
        PrintCase("-a ^ 2"),
        PrintCase("(-a) ^ 2"),
        PrintCase("a > bool b"),
        PrintCase("a and on (job) b"),
        PrintCase("a and on() b", "a and on () b"),
        PrintCase("a + ignoring (x) b"),
        PrintCase("a * on (x) group_left b", "a * on (x) group_left () b"),
        PrintCase("a * on (x) group_left () (b)"),
        PrintCase("a * on (x) group_right (y, z) b"),
        PrintCase("a + on (\"a.b\", job) b"),
        PrintCase("a atan2 b"),
        PrintCase("1 + on() 2", "1 + 2"),
        // Aggregations and calls.
        PrintCase("sum(x)"),
        PrintCase("sum(x) by (job)", "sum by (job) (x)"),
        PrintCase("sum by () (x)", "sum(x)"),
        PrintCase("sum without () (x)"),
        PrintCase("sum without (a, b) (x)"),
        PrintCase("SUM BY (Job) (X)", "sum by (Job) (X)"),
        PrintCase("sum by (on, bool, \"a.b\") (x)"),
        PrintCase("topk(5, x)"),
        PrintCase("count_values(\"v\", x)"),
        PrintCase("quantile by (a) (0.9, x)"),
        PrintCase("rate(x[5m])"),
        PrintCase("label_join(x, \"d\", \",\", \"a\", \"b\")"),
        PrintCase("time()"),
        // Literals.
        PrintCase("1"),
        PrintCase("1.5"),
        PrintCase("-1"),
        PrintCase("+1", "1"),
        PrintCase("0x1F", "31"),
        PrintCase("017", "15"),
        PrintCase("1e3", "1000"),
        PrintCase("1e100", "1e+100"),
        PrintCase("1.5e-7", "1.5e-07"),
        PrintCase("5m", "300"),
        PrintCase("Inf"),
        PrintCase("-inf", "-Inf"),
        PrintCase("nan", "NaN"),
        PrintCase("0.1"),
        PrintCase(#""a""#),
        PrintCase("'a'", #""a""#),
        PrintCase("`a\"b`", #""a\"b""#),
        PrintCase(#""tab\there""#),
        PrintCase(#""\x01\x7f""#, #""\u0001\u007F""#),
        PrintCase(#""\u200b\u202e\u2028\ufeff""#, #""\u200B\u202E\u2028\uFEFF""#),
        PrintCase(#""ünï 😀""#),
        PrintCase(#""\U000F0000""#, #""\U000F0000""#),
        // Comments disappear.
        PrintCase("up # comment", "up"),
        PrintCase("sum(\n  x # c\n)", "sum(x)"),
    ]

    @Test("prints canonical PromQL", arguments: cases)
    func prints(_ scenario: PrintCase) throws {
        let expr = try Parser.parse(scenario.input)
        let printed = Printer.print(expr)
        #expect(printed == scenario.output)
        #expect(try Parser.parse(printed) == expr)
    }

    @Test("hand-built trees get the parentheses they need")
    func handBuiltTrees() throws {
        let a = Expr.vectorSelector(VectorSelector(matchers: [LabelMatcher(equal: "__name__", "a")]))
        let b = Expr.vectorSelector(VectorSelector(matchers: [LabelMatcher(equal: "__name__", "b")]))
        let sum = Expr.binary(BinaryExpr(op: .add, lhs: a, rhs: b, matching: VectorMatching()))
        let product = Expr.binary(BinaryExpr(op: .mul, lhs: sum, rhs: b, matching: VectorMatching()))
        #expect(Printer.print(product) == "(a + b) * b")
        let difference = Expr.binary(BinaryExpr(op: .sub, lhs: a, rhs: sum, matching: VectorMatching()))
        #expect(Printer.print(difference) == "a - (a + b)")
        let power = Expr.binary(BinaryExpr(op: .pow, lhs: .number(NumberLiteral(-2)), rhs: .number(NumberLiteral(2))))
        #expect(Printer.print(power) == "(-2) ^ 2")
        let negated = Expr.unary(UnaryExpr(op: .sub, expr: sum))
        #expect(Printer.print(negated) == "-(a + b)")
        let subquery = Expr.subquery(SubqueryExpr(expr: sum, rangeMilliseconds: 60_000))
        #expect(Printer.print(subquery) == "(a + b)[1m:]")
        // Each prints to text meaning the same thing: re-parsing and printing again is stable.
        for expr in [product, difference, power, negated, subquery] {
            let text = Printer.print(expr)
            #expect(Printer.print(try Parser.parse(text)) == text)
        }
    }

    @Test("no decoded value can break out of its quotes", arguments: [
        "\"", "\\", "\"}", "\\\"", "\n", "\u{0}", "a\"} or vector(1) # ", "`", "'", "\u{2028}", "\u{202E}", "é\u{301}",
    ])
    func escapesEverything(value: String) throws {
        let selector = VectorSelector(matchers: [LabelMatcher(equal: "__name__", "up"), LabelMatcher(equal: "job", value)])
        let text = Printer.print(.vectorSelector(selector))
        let reparsed = try Parser.parse(text)
        #expect(reparsed.selectors.count == 1)
        #expect(reparsed.selectors.first?.matchers.last?.value.utf8.elementsEqual(value.utf8) == true)
    }
}
