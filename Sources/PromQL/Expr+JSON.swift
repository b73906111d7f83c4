/// JSON renderings of the AST for tooling (`aifactory promql parse`), written without Foundation so the
/// PromQL target stays dependency-free. Output is compact, keys in a fixed order.
extension Expr {
    /// The tree as a JSON object: `{"type":"vectorSelector","matchers":[…],…}`.
    public var json: String {
        var out = ""
        JSONWriter.append(self, to: &out)
        return out
    }
}

public enum PromQLJSON {
    /// One line of `parse --batch` output: the query, whether it parsed, its canonical text and every
    /// selector's matchers, or the error. The differential test reads exactly this shape.
    public static func batchLine(query: String, options: Parser.Options = .default) -> String {
        var out = "{\"query\":"
        JSONWriter.appendString(query, to: &out)
        do {
            let expr = try Parser.parse(query, options: options)
            out += ",\"ok\":true,\"canonical\":"
            JSONWriter.appendString(Printer.print(expr), to: &out)
            out += ",\"selectors\":["
            for (index, selector) in expr.selectors.enumerated() {
                if index > 0 { out += "," }
                JSONWriter.appendMatchers(selector.matchers, to: &out)
            }
            out += "]}"
        } catch {
            out += ",\"ok\":false,\"code\":"
            JSONWriter.appendString(error.code, to: &out)
            out += ",\"error\":"
            JSONWriter.appendString(error.description, to: &out)
            out += "}"
        }
        return out
    }
}

enum JSONWriter {
    static func appendString(_ value: String, to out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    static func appendMatchers(_ matchers: [LabelMatcher], to out: inout String) {
        out += "["
        for (index, matcher) in matchers.enumerated() {
            if index > 0 { out += "," }
            out += "{\"name\":"
            appendString(matcher.name, to: &out)
            out += ",\"op\":\"\(matcher.op.rawValue)\",\"value\":"
            appendString(matcher.value, to: &out)
            out += "}"
        }
        out += "]"
    }

    private static func appendStrings(_ values: [String], to out: inout String) {
        out += "["
        for (index, value) in values.enumerated() {
            if index > 0 { out += "," }
            appendString(value, to: &out)
        }
        out += "]"
    }

    private static func appendNumber(_ value: Double, to out: inout String) {
        // JSON has no NaN/Inf; write those (and every number) as PromQL text in a string.
        var text = ""
        Printer.appendNumber(value, to: &text)
        appendString(text, to: &out)
    }

    private static func appendModifiers(offset: Int64, at: AtModifier?, to out: inout String) {
        if offset != 0 { out += ",\"offsetMs\":\(offset)" }
        if let at {
            switch at {
            case .start: out += ",\"at\":\"start()\""
            case .end: out += ",\"at\":\"end()\""
            case .timestamp(let millis): out += ",\"atMs\":\(millis)"
            }
        }
    }

    static func append(_ expr: Expr, to out: inout String) {
        switch expr {
        case .number(let node):
            out += "{\"type\":\"number\",\"value\":"
            appendNumber(node.value, to: &out)
            out += "}"
        case .string(let node):
            out += "{\"type\":\"string\",\"value\":"
            appendString(node.value, to: &out)
            out += "}"
        case .vectorSelector(let node):
            out += "{\"type\":\"vectorSelector\",\"matchers\":"
            appendMatchers(node.matchers, to: &out)
            appendModifiers(offset: node.offsetMilliseconds, at: node.at, to: &out)
            out += "}"
        case .matrixSelector(let node):
            out += "{\"type\":\"matrixSelector\",\"rangeMs\":\(node.rangeMilliseconds),\"matchers\":"
            appendMatchers(node.selector.matchers, to: &out)
            appendModifiers(offset: node.selector.offsetMilliseconds, at: node.selector.at, to: &out)
            out += "}"
        case .subquery(let node):
            out += "{\"type\":\"subquery\",\"rangeMs\":\(node.rangeMilliseconds),\"stepMs\":\(node.stepMilliseconds)"
            appendModifiers(offset: node.offsetMilliseconds, at: node.at, to: &out)
            out += ",\"expr\":"
            append(node.expr, to: &out)
            out += "}"
        case .paren(let node):
            out += "{\"type\":\"paren\",\"expr\":"
            append(node.expr, to: &out)
            out += "}"
        case .unary(let node):
            out += "{\"type\":\"unary\",\"op\":\"\(node.op.rawValue)\",\"expr\":"
            append(node.expr, to: &out)
            out += "}"
        case .binary(let node):
            out += "{\"type\":\"binary\",\"op\":\"\(node.op.rawValue)\",\"bool\":\(node.returnBool)"
            if let matching = node.matching {
                out += ",\"matching\":{\"card\":\"\(matching.cardinality.rawValue)\",\"on\":\(matching.on),\"labels\":"
                appendStrings(matching.labels, to: &out)
                out += ",\"include\":"
                appendStrings(matching.include, to: &out)
                out += "}"
            }
            out += ",\"lhs\":"
            append(node.lhs, to: &out)
            out += ",\"rhs\":"
            append(node.rhs, to: &out)
            out += "}"
        case .call(let node):
            out += "{\"type\":\"call\",\"function\":"
            appendString(node.function.name, to: &out)
            out += ",\"args\":["
            for (index, arg) in node.args.enumerated() {
                if index > 0 { out += "," }
                append(arg, to: &out)
            }
            out += "]}"
        case .aggregate(let node):
            out += "{\"type\":\"aggregate\",\"op\":\"\(node.op.rawValue)\",\"without\":\(node.without),\"grouping\":"
            appendStrings(node.grouping, to: &out)
            if let param = node.param {
                out += ",\"param\":"
                append(param, to: &out)
            }
            out += ",\"expr\":"
            append(node.expr, to: &out)
            out += "}"
        }
    }
}
