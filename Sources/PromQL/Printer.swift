/// Renders an ``Expr`` as canonical PromQL.
///
/// For any tree the ``Parser`` produced, `Parser.parse(Printer.print(e)) == e`. Every string is
/// written double-quoted with `\\`, `\"`, control, format and separator characters escaped, so no decoded
/// value can end its quotes early or hide text from a reader. Names that are not plain identifiers (or
/// that the lexer would read as a keyword or number) are quoted. Parentheses the author wrote are kept;
/// parentheses are also added wherever a hand-built tree would otherwise re-parse differently.
public enum Printer {
    public static func print(_ expr: Expr) -> String {
        var out = ""
        out.reserveCapacity(64)
        append(expr, to: &out)
        return out
    }

    static func append(_ expr: Expr, to out: inout String) {
        switch expr {
        case .number(let node):
            appendNumber(node.value, to: &out)
        case .string(let node):
            appendQuoted(node.value, to: &out)
        case .vectorSelector(let node):
            appendSelectorBody(node, to: &out)
            appendModifiers(offset: node.offsetMilliseconds, at: node.at, to: &out)
        case .matrixSelector(let node):
            appendSelectorBody(node.selector, to: &out)
            out += "["
            appendDuration(node.rangeMilliseconds, to: &out)
            out += "]"
            appendModifiers(offset: node.selector.offsetMilliseconds, at: node.selector.at, to: &out)
        case .subquery(let node):
            appendOperand(node.expr, needsParens: needsParensAsPostfixOperand(node.expr), to: &out)
            out += "["
            appendDuration(node.rangeMilliseconds, to: &out)
            out += ":"
            if node.stepMilliseconds != 0 { appendDuration(node.stepMilliseconds, to: &out) }
            out += "]"
            appendModifiers(offset: node.offsetMilliseconds, at: node.at, to: &out)
        case .paren(let node):
            out += "("
            append(node.expr, to: &out)
            out += ")"
        case .unary(let node):
            out += node.op.rawValue
            appendOperand(node.expr, needsParens: needsParensAsUnaryOperand(node.expr), to: &out)
        case .binary(let node):
            appendOperand(node.lhs, needsParens: needsParens(node.lhs, under: node.op, onLeft: true), to: &out)
            out += " "
            out += node.op.rawValue
            if node.returnBool { out += " bool" }
            if let matching = node.matching {
                if matching.on || !matching.labels.isEmpty {
                    out += matching.on ? " on " : " ignoring "
                    appendLabelList(matching.labels, to: &out)
                }
                switch matching.cardinality {
                case .manyToOne, .oneToMany:
                    if !(matching.on || !matching.labels.isEmpty) { out += " ignoring ()" }
                    // Always with a list, even an empty one: `group_left (a + b)` would read the
                    // parenthesised right-hand side as the label list.
                    out += matching.cardinality == .manyToOne ? " group_left " : " group_right "
                    appendLabelList(matching.include, to: &out)
                case .oneToOne, .manyToMany:
                    break
                }
            }
            out += " "
            appendOperand(node.rhs, needsParens: needsParens(node.rhs, under: node.op, onLeft: false), to: &out)
        case .call(let node):
            out += node.function.name
            out += "("
            for (index, arg) in node.args.enumerated() {
                if index > 0 { out += ", " }
                append(arg, to: &out)
            }
            out += ")"
        case .aggregate(let node):
            out += node.op.rawValue
            if node.without || !node.grouping.isEmpty {
                out += node.without ? " without " : " by "
                appendLabelList(node.grouping, to: &out)
                out += " "
            }
            out += "("
            if let param = node.param {
                append(param, to: &out)
                out += ", "
            }
            append(node.expr, to: &out)
            out += ")"
        }
    }

    // MARK: - Parentheses for hand-built trees

    private static func appendOperand(_ expr: Expr, needsParens: Bool, to out: inout String) {
        if needsParens { out += "(" }
        append(expr, to: &out)
        if needsParens { out += ")" }
    }

    private static func needsParens(_ child: Expr, under op: BinaryOp, onLeft: Bool) -> Bool {
        switch child {
        case .binary(let inner):
            if inner.op.precedence != op.precedence { return inner.op.precedence < op.precedence }
            return onLeft == op.isRightAssociative
        case .unary:
            // `(-a) ^ b`: a leading sign would otherwise take the whole power.
            return onLeft && op == .pow
        case .number(let literal):
            return onLeft && op == .pow && (literal.value < 0 || (literal.value == 0 && literal.value.sign == .minus))
        case .string, .vectorSelector, .matrixSelector, .subquery, .paren, .call, .aggregate:
            return false
        }
    }

    private static func needsParensAsUnaryOperand(_ child: Expr) -> Bool {
        switch child {
        case .binary(let inner): inner.op != .pow
        case .number, .string, .vectorSelector, .matrixSelector, .subquery, .paren, .unary, .call, .aggregate: false
        }
    }

    private static func needsParensAsPostfixOperand(_ child: Expr) -> Bool {
        switch child {
        case .binary, .unary: true
        case .number(let literal): literal.value < 0 || literal.value.sign == .minus
        case .string, .vectorSelector, .matrixSelector, .subquery, .paren, .call, .aggregate: false
        }
    }

    // MARK: - Selectors

    static func appendSelectorBody(_ selector: VectorSelector, to out: inout String) {
        var matchers = selector.matchers[...]
        if let first = matchers.first, first.op == .equal, first.isOn(metricNameLabel),
           isBareMetricName(first.value),
           !matchers.dropFirst().contains(where: { $0.isOn(metricNameLabel) }) {
            out += first.value
            matchers = matchers.dropFirst()
            if matchers.isEmpty { return }
        }
        out += "{"
        var isFirst = true
        for matcher in matchers {
            if !isFirst { out += ", " }
            isFirst = false
            appendMatcher(matcher, to: &out)
        }
        out += "}"
    }

    static func appendMatcher(_ matcher: LabelMatcher, to out: inout String) {
        if isPlainLabelName(matcher.name) {
            out += matcher.name
        } else {
            appendQuoted(matcher.name, to: &out)
        }
        out += matcher.op.rawValue
        appendQuoted(matcher.value, to: &out)
    }

    private static func appendModifiers(offset: Int64, at: AtModifier?, to out: inout String) {
        if let at {
            out += " @ "
            switch at {
            case .start: out += "start()"
            case .end: out += "end()"
            case .timestamp(let millis): appendTimestamp(millis, to: &out)
            }
        }
        if offset != 0 {
            out += " offset "
            if offset < 0 { out += "-" }
            appendDuration(offset.magnitude, to: &out)
        }
    }

    /// `(a, b)` with names quoted where needed.
    private static func appendLabelList(_ labels: [String], to out: inout String) {
        out += "("
        for (index, label) in labels.enumerated() {
            if index > 0 { out += ", " }
            if isPlainLabelName(label), !isNumberWord(label) { out += label } else { appendQuoted(label, to: &out) }
        }
        out += ")"
    }

    // MARK: - Names

    /// `[a-zA-Z_][a-zA-Z0-9_]*`: may be written bare inside braces.
    static func isPlainLabelName(_ name: String) -> Bool {
        var iterator = name.utf8.makeIterator()
        guard let first = iterator.next(), isAlpha(first) else { return false }
        while let byte = iterator.next() {
            if !isAlphaNumeric(byte) { return false }
        }
        return true
    }

    /// A metric name that re-lexes as an identifier naming a selector: `[a-zA-Z_:][a-zA-Z0-9_:]*` that is
    /// not a keyword, `Inf` or `NaN` (those are written `{__name__="…"}`).
    static func isBareMetricName(_ name: String) -> Bool {
        var iterator = name.utf8.makeIterator()
        guard let first = iterator.next(), isAlpha(first) || first == UInt8(ascii: ":") else { return false }
        while let byte = iterator.next() {
            if !(isAlphaNumeric(byte) || byte == UInt8(ascii: ":")) { return false }
        }
        let lower = name.lowercased()
        return Keyword.table[lower] == nil && !isNumberWord(name)
    }

    private static func isNumberWord(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "inf" || lower == "nan"
    }

    // MARK: - Literals

    /// `"…"` with every character that could end, hide or confuse the string escaped.
    static func appendQuoted(_ value: String, to out: inout String) {
        out += "\""
        appendEscaped(value, to: &out)
        out += "\""
    }

    static func appendEscaped(_ value: String, to out: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{0B}": out += "\\v"
            default:
                if scalar.value >= 0x20 && scalar.value < 0x7F {
                    out.unicodeScalars.append(scalar)
                } else if needsEscape(scalar) {
                    if scalar.value <= 0xFFFF {
                        out += "\\u" + hex(scalar.value, width: 4)
                    } else {
                        out += "\\U" + hex(scalar.value, width: 8)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
    }

    /// Control, format (bidi overrides, zero-width), separators, private use, unassigned, non-characters.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
            return true
        case .spaceSeparator:
            return scalar != " "
        default:
            return scalar.properties.isNoncharacterCodePoint
        }
    }

    /// Shortest text that parses back to the same `Double`.
    static func appendNumber(_ value: Double, to out: inout String) {
        if value.isNaN {
            out += "NaN"
        } else if value.isInfinite {
            out += value < 0 ? "-Inf" : "Inf"
        } else if value == value.rounded(), abs(value) < 1e15 {
            if value == 0 && value.sign == .minus {
                out += "-0"
            } else {
                out += String(Int64(value))
            }
        } else {
            out += value.description
        }
    }

    /// Prometheus's `model.Duration.String()`: `1h30m`, `5m`, `1d`, `250ms`, `0s`.
    static func appendDuration(_ millis: Int64, to out: inout String) {
        appendDuration(millis.magnitude, to: &out)
    }

    static func appendDuration(_ millis: UInt64, to out: inout String) {
        if millis == 0 {
            // `0s` is not a valid duration in Prometheus 3, but the number 0 is (`x[0]`).
            out += "0"
            return
        }
        var remaining = millis
        let units: [(String, UInt64)] = [
            ("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000),
            ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
        ]
        for (unit, size) in units where remaining >= size {
            out += String(remaining / size)
            out += unit
            remaining %= size
        }
    }

    /// Seconds with exactly three decimals: `1700000000.000`, `-1.500`.
    private static func appendTimestamp(_ millis: Int64, to out: inout String) {
        if millis < 0 { out += "-" }
        let magnitude = millis.magnitude
        out += String(magnitude / 1000)
        out += "."
        let fraction = String(magnitude % 1000)
        out += String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

extension Expr: CustomStringConvertible {
    /// Canonical PromQL for this expression.
    public var description: String { Printer.print(self) }
}
