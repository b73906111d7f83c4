import Testing
@testable import PromQL
import Foundation

/// A small deterministic PRNG (SplitMix64) so generated cases are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Generates well-typed PromQL text covering the grammar, with awkward strings and spellings.
struct QueryGenerator {
    var rng: SplitMix64

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
    private mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }

    mutating func name() -> String {
        pick(["up", "x", "DCGM_FI_DEV_GPU_TEMP", "vllm:kv_cache_usage_perc", "http_requests_total", "sum", "by", "offset",
              "job:up:sum", "_private", "a1"])
    }

    mutating func label() -> String {
        pick(["job", "instance", "gpu", "le", "on", "by", "bool", "sum", "NaN", "tenant_id", "_l"])
    }

    mutating func groupingLabel() -> String {
        pick(["job", "instance", "gpu", "le", "on", "by", "bool", "sum", "\"a.b\"", "_l"])
    }

    mutating func quotedLabel() -> String { pick(["\"a.b\"", "'gpu.util'", "\"job\"", "\"with space\"", "\"ünï\""]) }

    mutating func stringLiteral() -> String {
        let raw = pick(["a", "", "acme", "a\\\"b", "\\\\", "}", "{", "#", "line\\nbreak", "\\x41", "\\u00e9", "\\U0001F600",
                        "\\101", "tab\\t", "é", "😀", "a\\\\\\\"", "\\u202e", "or", "\\\"} or vector(1)"])
        switch rng.next() % 3 {
        case 0: return "\"\(raw)\""
        case 1: return "'\(raw.replacingOccurrences(of: "\\\"", with: "\\'"))'"
        default:
            // Raw strings have no escapes: use a value without backslashes or backticks.
            return "`" + pick(["a", "acme", "a\"b", "}", "#", "é", "multi\nline"]) + "`"
        }
    }

    mutating func regex() -> String {
        pick([".*", ".+", "a|b", "(?i)up", "[[:alpha:]]+", "\\\\d{1,3}", "a(b|c)*", "^x$", "\\\\.", "(?:a|)", "[^a-z]", "\\\\pL"])
    }

    mutating func matcher() -> String {
        let name = chance(15) ? quotedLabel() : label()
        switch rng.next() % 4 {
        case 0: return "\(name)=\(stringLiteral())"
        case 1: return "\(name)!=\(stringLiteral())"
        case 2: return "\(name)=~\"\(regex())\""
        default: return "\(name)!~\"\(regex())\""
        }
    }

    mutating func duration() -> String {
        pick(["5m", "1h", "30s", "1h30m", "2d", "1w", "1y", "500ms", "90", "1.5", "0x10", "1m1s"])
    }

    mutating func modifiers() -> String {
        var out = ""
        if chance(15) { out += " offset " + (chance(30) ? "-" : "") + duration() }
        if chance(10) { out += " @ " + pick(["100", "-5", "1609746000.5", "start()", "end()", "5m"]) }
        if chance(5) && out.isEmpty { out += " @ 10 offset 1m" }
        return out
    }

    mutating func selectorBody() -> String {
        var matchers: [String] = []
        for _ in 0..<(rng.next() % 3) { matchers.append(matcher()) }
        switch rng.next() % 5 {
        case 0:
            return "{\"" + pick(["gpu.util", "a-b", "x"]) + "\"" + matchers.map { ", " + $0 }.joined() + "}"
        case 1:
            return "{__name__=\"\(name())\"" + matchers.map { ", " + $0 }.joined() + "}"
        default:
            return name() + (matchers.isEmpty && chance(50) ? "" : "{" + matchers.joined(separator: ", ") + (chance(10) && !matchers.isEmpty ? "," : "") + "}")
        }
    }

    mutating func vector(_ depth: Int) -> String {
        if depth <= 0 { return selectorBody() + modifiers() }
        switch rng.next() % 16 {
        case 0, 1: return selectorBody() + modifiers()
        case 2: return pick(["rate", "irate", "increase", "delta", "avg_over_time", "changes", "last_over_time"]) + "(\(matrix(depth - 1)))"
        case 3:
            let op = pick(["sum", "avg", "min", "max", "count", "group", "stddev", "stdvar"])
            let grouping = chance(50) ? "" : " \(pick(["by", "without"])) (\(groupingLabel())\(chance(30) ? ", \(groupingLabel())" : ""))"
            return chance(50) ? "\(op)\(grouping) (\(vector(depth - 1)))" : "\(op)(\(vector(depth - 1)))\(grouping)"
        case 4: return "\(pick(["topk", "bottomk", "limitk"]))(\(scalar(depth - 1)), \(vector(depth - 1)))"
        case 5: return "quantile(\(scalar(depth - 1)), \(vector(depth - 1)))"
        case 6: return "count_values(\(stringLiteral()), \(vector(depth - 1)))"
        case 7:
            let op = pick(["+", "-", "*", "/", "%", "^", "==", "!=", ">", "<", ">=", "<=", "atan2"])
            let bool = ["==", "!=", ">", "<", ">=", "<="].contains(op) && chance(30) ? " bool" : ""
            let matching = chance(30) ? " \(pick(["on", "ignoring"])) (\(groupingLabel()))" : ""
            let extra = groupingLabel().filter { $0 != "\"" && $0 != "." }
            let group = !matching.isEmpty && chance(40) ? " \(pick(["group_left", "group_right"])) \(chance(50) ? "()" : "(extra_\(extra))")" : ""
            return "\(operand(vector(depth - 1))) \(op)\(bool)\(matching)\(group) \(operand(vector(depth - 1)))"
        case 8:
            let op = pick(["and", "or", "unless"])
            let matching = chance(30) ? " \(pick(["on", "ignoring"])) (\(groupingLabel()))" : ""
            return "\(operand(vector(depth - 1))) \(op)\(matching) \(operand(vector(depth - 1)))"
        case 9: return "\(operand(vector(depth - 1))) \(pick(["+", "*", "-", ">", "/"])) \(operand(scalar(depth - 1)))"
        case 10: return "-\(vector(depth - 1))"
        case 11: return "(\(vector(depth - 1)))"
        case 12: return "\(pick(["abs", "ceil", "floor", "sqrt", "timestamp", "sort", "absent"]))(\(vector(depth - 1)))"
        case 13: return "label_replace(\(vector(depth - 1)), \(stringLiteral()), \"$1\", \"\(label())\", \"(.*)\")"
        case 14: return "histogram_quantile(\(scalar(depth - 1)), \(vector(depth - 1)))"
        default: return "\(pick(["max_over_time", "min_over_time", "avg_over_time"]))((\(vector(depth - 1)))[\(duration()):\(chance(50) ? duration() : "")]\(modifiers()))"
        }
    }

    /// Parenthesises compound operands so generated precedence never changes the types.
    private func operand(_ text: String) -> String {
        text.contains(" ") ? "(\(text))" : text
    }

    mutating func matrix(_ depth: Int) -> String {
        if depth > 0 && chance(25) { return pick(["rate(x[5m])", "abs(up)", "sum(x)"]) + "[\(duration()):]" + modifiers() }
        return selectorBody() + "[\(duration())]" + modifiers()
    }

    mutating func scalar(_ depth: Int) -> String {
        if depth <= 0 { return number() }
        switch rng.next() % 7 {
        case 0, 1: return number()
        case 2: return "scalar(\(vector(depth - 1)))"
        case 3: return pick(["time()", "pi()"])
        case 4: return "\(scalar(depth - 1)) \(pick(["+", "-", "*", "/", "^", "%", "atan2", "== bool", "> bool"])) \(scalar(depth - 1))"
        case 5: return "(\(scalar(depth - 1)))"
        default: return "-\(scalar(depth - 1))"
        }
    }

    mutating func number() -> String {
        pick(["1", "0.5", "1e3", "1.5e-7", "0x1F", "017", "Inf", "NaN", "-Inf", "1_000", ".5", "5.", "5m", "100", "0", "4.9e-324",
              "1.7976931348623157e308", "123456789012345678"])
    }

    mutating func query() -> String {
        var text = rng.next() % 6 == 0 ? scalar(3) : vector(Int(rng.next() % 5))
        if chance(10) { text += " # trailing comment" }
        if chance(5) { text = "# leading\n" + text }
        return text
    }
}

@Suite("Round trip")
struct RoundTripTests {
    @Test("print(parse(q)) re-parses to an equal tree, for generated queries")
    func generated() throws {
        var generator = QueryGenerator(rng: SplitMix64(state: 0x5EED_CAFE))
        var parsed = 0
        for _ in 0..<3000 {
            let query = generator.query()
            let expr: Expr
            do {
                expr = try Parser.parse(query)
            } catch {
                Issue.record("generated query did not parse: \(query) — \(error)")
                continue
            }
            parsed += 1
            let printed = Printer.print(expr)
            let reparsed = try Parser.parse(printed)
            #expect(reparsed == expr, "\(query) → \(printed)")
            #expect(Printer.print(reparsed) == printed)
            // The enforcer accepts every generated query (none names the tenant label) and scopes it.
            let scoped = try LabelScope.acme.rewrite(query)
            let scopedExpr = try Parser.parse(scoped.text)
            #expect(scopedExpr.selectors.allSatisfy { selector in
                selector.matchers.filter { $0.isOn("tenant") }.map(\.value) == ["acme"]
            })
            #expect(scopedExpr.selectors.count == expr.selectors.count)
        }
        #expect(parsed == 3000)
    }
}
