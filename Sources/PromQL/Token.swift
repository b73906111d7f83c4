/// A half-open range of UTF-8 byte offsets into the query text.
///
/// Offsets are bytes, not characters, as in Prometheus's `posrange.PositionRange`, so a position
/// reported in an error can be used to slice the query the client sent.
public struct SourceRange: Sendable, Hashable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}

/// Words the lexer recognises case-insensitively outside braces (Prometheus's `key` table).
///
/// Inside `{…}` every word is a plain identifier, so `{by="x"}` is a label named `by`.
enum Keyword: String, Sendable, CaseIterable {
    // Binary operators spelled as words.
    case and, or, unless, atan2
    // Aggregation operators.
    case sum, avg, count, min, max, group, stddev, stdvar, topk, bottomk
    case countValues = "count_values", quantile, limitk
    case limitRatio = "limit_ratio"
    // Modifiers.
    case offset, by, without, on, ignoring
    case groupLeft = "group_left", groupRight = "group_right", bool
    // `@` preprocessors.
    case start, end

    /// Lower-cased spelling → keyword.
    static let table: [String: Keyword] = {
        var table: [String: Keyword] = [:]
        for keyword in Keyword.allCases { table[keyword.rawValue] = keyword }
        return table
    }()

    /// The aggregation this keyword names, if any.
    var aggregation: AggregateOp? { AggregateOp(rawValue: rawValue) }

    /// Keywords the grammar also accepts as a metric name (`metric_identifier` in the grammar).
    var canBeMetricName: Bool {
        switch self {
        case .on, .ignoring, .groupLeft, .groupRight, .bool, .atan2: false
        case .and, .or, .unless, .sum, .avg, .count, .min, .max, .group, .stddev, .stdvar, .topk, .bottomk,
             .countValues, .quantile, .limitk, .limitRatio, .offset, .by, .without, .start, .end:
            true
        }
    }

    /// How Prometheus names the token in "unexpected …" messages.
    var errorDescription: String {
        switch self {
        case .and, .or, .unless, .atan2: "<op:\(rawValue)>"
        case .sum, .avg, .count, .min, .max, .group, .stddev, .stdvar, .topk, .bottomk, .countValues, .quantile,
             .limitk, .limitRatio:
            "<aggr:\(rawValue)>"
        case .offset, .by, .without, .on, .ignoring, .groupLeft, .groupRight, .bool: "<\(rawValue)>"
        case .start, .end: "\"\(rawValue)\""
        }
    }
}

/// The kind of a lexical token (Prometheus's `ItemType`).
enum TokenKind: Sendable, Equatable {
    case eof
    /// `[a-zA-Z_][a-zA-Z0-9_]*` that is not a keyword.
    case identifier
    /// An identifier containing `:` (recording-rule and vLLM metric names).
    case metricIdentifier
    case keyword(Keyword)
    /// Decimal, hexadecimal, exponent, `Inf` or `NaN`. The value is in `Token.number`.
    case number
    /// `5m`, `1h30m`, `250ms`. Milliseconds are in `Token.millis` (0 when invalid; see `Token.text`).
    case duration
    /// Any of the three quotes. `Token.text` holds the decoded value.
    case string
    case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
    case comma, colon, at
    case add, sub, mul, div, mod, pow
    case eqlc, neq, lss, lte, gtr, gte
    case eql, eqlRegex, neqRegex
}

/// One token with its source range.
struct Token: Sendable {
    var kind: TokenKind
    var range: SourceRange
    /// Raw text for words, numbers and durations; the decoded value for strings.
    var text: String
    var number: Double = 0
    var millis: Int64 = 0
    /// For strings: the raw source spelling (with quotes), used in error messages.
    var raw: String = ""

    /// The precedence of this token as a binary operator, or nil when it is not one.
    var binaryOperator: BinaryOp? {
        switch kind {
        case .add: .add
        case .sub: .sub
        case .mul: .mul
        case .div: .div
        case .mod: .mod
        case .pow: .pow
        case .eqlc: .eql
        case .neq: .neq
        case .lss: .lss
        case .lte: .lte
        case .gtr: .gtr
        case .gte: .gte
        case .keyword(.and): .and
        case .keyword(.or): .or
        case .keyword(.unless): .unless
        case .keyword(.atan2): .atan2
        default: nil
        }
    }

    /// How Prometheus describes this token in "unexpected …" messages (`Item.desc`).
    var errorDescription: String {
        switch kind {
        case .eof: return "end of input"
        case .identifier: return "identifier \(goQuote(text))"
        case .metricIdentifier: return "metric identifier \(goQuote(text))"
        case .keyword(let keyword): return keyword.errorDescription
        case .number: return "number \(goQuote(text))"
        case .duration: return "duration \(goQuote(text))"
        case .string:
            let shown = raw.unicodeScalars.count > 10 ? String(String.UnicodeScalarView(raw.unicodeScalars.prefix(10))) : raw
            return "string \(goQuote(shown))\(raw.unicodeScalars.count > 10 ? "..." : "")"
        case .add, .sub, .mul, .div, .mod, .pow, .eqlc, .neq, .lss, .lte, .gtr, .gte, .eqlRegex, .neqRegex, .at:
            return "<op:\(text)>"
        case .leftParen, .rightParen, .leftBrace, .rightBrace, .leftBracket, .rightBracket, .comma, .colon, .eql:
            return goQuote(text)
        }
    }
}

/// Double-quotes `text` with escapes, the way Go's `%q` does for printable text.
func goQuote(_ text: String) -> String {
    var out = "\""
    Printer.appendEscaped(text, to: &out)
    out += "\""
    return out
}
