/// A position in the query text: byte offsets plus the 1-based line and column Prometheus prints.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    /// Byte range in the UTF-8 query.
    public var range: SourceRange
    /// 1-based line.
    public var line: Int
    /// 1-based byte column within the line (Prometheus counts bytes too).
    public var column: Int

    public init(range: SourceRange, line: Int, column: Int) {
        self.range = range
        self.line = line
        self.column = column
    }

    /// Computes line and column of `range.start` in `source`.
    init(range: SourceRange, in source: [UInt8]) {
        var line = 1
        var lastBreak = -1
        let end = min(max(range.start, 0), source.count)
        var index = 0
        while index < end {
            if source[index] == UInt8(ascii: "\n") {
                line += 1
                lastBreak = index
            }
            index += 1
        }
        self.init(range: range, line: line, column: end - lastBreak)
    }

    init(range: SourceRange, in source: String) {
        self.init(range: range, in: Array(source.utf8))
    }

    public var description: String { "\(line):\(column)" }
}

/// Everything that can go wrong between a query string and a `ScopedQuery`.
///
/// Cases are grouped by what the caller must answer: ``syntax``, ``type``, ``tooLong`` and ``tooDeep``
/// are the client's malformed input (HTTP 400); ``outsideTenant`` and ``unscopable`` are queries that
/// are well-formed but would read data the tenant may not see (HTTP 403).
///
/// `description` reads like Prometheus's `ParseErr` (`1:17: parse error: unexpected "}"`), so Grafana
/// users see familiar messages; `userMessage` is the same sentence without internal detail.
public enum PromQLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not PromQL: lexing or grammar error.
    case syntax(message: String, position: SourcePosition)
    /// The text parses but is not well-typed (e.g. `rate()` of an instant vector), or names an unknown function.
    case type(message: String, position: SourcePosition)
    /// The query exceeds the configured length in bytes.
    case tooLong(length: Int, limit: Int)
    /// The query nests deeper than the configured limit (parentheses, calls, operator chains).
    case tooDeep(limit: Int, position: SourcePosition)
    /// A selector names the tenant label with a matcher that cannot match the tenant's value.
    case outsideTenant(message: String, position: SourcePosition)
    /// The query uses a construct the enforcer cannot confine to one tenant (e.g. `info()`, forging the tenant label).
    case unscopable(message: String, position: SourcePosition)

    /// Where in the query the problem is, when it has a place.
    public var position: SourcePosition? {
        switch self {
        case .syntax(_, let position), .type(_, let position), .tooDeep(_, let position),
             .outsideTenant(_, let position), .unscopable(_, let position):
            position
        case .tooLong:
            nil
        }
    }

    /// True for errors that mean "malformed request" (HTTP 400); false for "forbidden" (HTTP 403).
    public var isClientSyntaxError: Bool {
        switch self {
        case .syntax, .type, .tooLong, .tooDeep: true
        case .outsideTenant, .unscopable: false
        }
    }

    /// A stable identifier for programs (logs, API `code` fields).
    public var code: String {
        switch self {
        case .syntax: "syntax"
        case .type: "type"
        case .tooLong: "too_long"
        case .tooDeep: "too_deep"
        case .outsideTenant: "outside_tenant"
        case .unscopable: "unscopable"
        }
    }

    /// Prometheus-style one-line text with the position: `1:17: parse error: unexpected "}"`.
    public var description: String {
        switch self {
        case .syntax(let message, let position), .type(let message, let position):
            "\(position): parse error: \(message)"
        case .tooLong(let length, let limit):
            "parse error: query is too long: \(length) bytes (limit \(limit))"
        case .tooDeep(let limit, let position):
            "\(position): parse error: query nests too deeply (limit \(limit) levels)"
        case .outsideTenant(let message, let position):
            "\(position): forbidden: \(message)"
        case .unscopable(let message, let position):
            "\(position): forbidden: \(message)"
        }
    }

    /// A sentence to show the person who wrote the query. It only repeats their own query text.
    public var userMessage: String {
        switch self {
        case .syntax(let message, let position), .type(let message, let position):
            "Invalid query at line \(position.line), column \(position.column): \(message)."
        case .tooLong(let length, let limit):
            "The query is \(length) bytes long; the limit is \(limit) bytes."
        case .tooDeep(let limit, let position):
            "The query nests more than \(limit) levels deep (at line \(position.line), column \(position.column))."
        case .outsideTenant(let message, let position):
            "The query asks for series outside your tenant (line \(position.line), column \(position.column)): \(message)."
        case .unscopable(let message, let position):
            "The query cannot be restricted to your tenant (line \(position.line), column \(position.column)): \(message)."
        }
    }
}
