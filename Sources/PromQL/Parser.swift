/// Parses PromQL text into a typed ``Expr``.
///
/// Recursive descent with a precedence table replaces Prometheus's yacc grammar; the accepted language,
/// precedence (`^` right-associative, unary minus binding like `*`), and messages follow Prometheus 3.x.
/// Type checking (function signatures, operand types) happens as each node is built, so the returned
/// tree is always well-typed.
///
/// Limits are enforced before any work that could be unbounded: the length before lexing, and the
/// nesting depth on every recursive step and every node built, so no input can exhaust the stack.
public enum Parser {
    /// Limits and feature switches.
    public struct Options: Sendable, Hashable {
        /// Longest accepted query, in UTF-8 bytes.
        public var maxLength: Int
        /// Deepest accepted expression tree (parentheses, calls, aggregations, operator chains, subqueries).
        public var maxDepth: Int
        /// Accept functions and aggregations Prometheus marks experimental (`limitk`, `info`, …).
        public var experimentalFunctions: Bool

        public init(maxLength: Int = 64 * 1024, maxDepth: Int = 256, experimentalFunctions: Bool = true) {
            self.maxLength = maxLength
            self.maxDepth = maxDepth
            self.experimentalFunctions = experimentalFunctions
        }

        public static let `default` = Options()
    }

    /// Parses and type-checks one expression.
    public static func parse(_ query: String, options: Options = .default) throws(PromQLError) -> Expr {
        let bytes = Array(query.utf8)
        guard bytes.count <= options.maxLength else {
            throw .tooLong(length: bytes.count, limit: options.maxLength)
        }
        let tokens = try Lexer.tokenize(bytes)
        var state = ParserState(source: bytes, tokens: tokens, options: options)
        return try state.parseQuery()
    }
}

/// An expression being built, with the facts its parent needs without walking it again.
struct Parsed {
    var expr: Expr
    /// Height of the tree (a leaf is 1).
    var height: Int
    var type: ValueType
}

struct ParserState {
    let source: [UInt8]
    let tokens: [Token]
    let options: Parser.Options
    private var index = 0
    private var depth = 0

    init(source: [UInt8], tokens: [Token], options: Parser.Options) {
        self.source = source
        self.tokens = tokens
        self.options = options
    }

    // MARK: - Token access

    private var current: Token { tokens[index] }

    private func peek(_ offset: Int = 1) -> Token {
        let position = index + offset
        return position < tokens.count ? tokens[position] : tokens[tokens.count - 1]
    }

    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    // MARK: - Errors

    @inline(never)
    func position(_ offset: Int) -> SourcePosition {
        SourcePosition(range: SourceRange(start: offset, end: offset), in: source)
    }

    @inline(never)
    func syntaxError(_ message: String, at offset: Int) -> PromQLError {
        .syntax(message: message, position: position(offset))
    }

    @inline(never)
    func typeError(_ message: String, at offset: Int) -> PromQLError {
        .type(message: message, position: position(offset))
    }

    /// Prometheus's `unexpected(context, expected)` message for the current token.
    @inline(never)
    private func unexpected(_ context: String = "", expected: String = "") -> PromQLError {
        var message = "unexpected \(current.errorDescription)"
        if !context.isEmpty { message += " in \(context)" }
        if !expected.isEmpty { message += ", expected \(expected)" }
        return syntaxError(message, at: current.range.start)
    }

    @inline(never)
    private func checkHeight(_ height: Int, at offset: Int) throws(PromQLError) {
        if height > options.maxDepth { throw .tooDeep(limit: options.maxDepth, position: position(offset)) }
    }

    // MARK: - Expressions
    //
    // The recursive functions (parseExpr, parseSigned, parsePrimary, parseParen, parseCall,
    // parseAggregation, parseArguments) only dispatch; everything else is in `@inline(never)` helpers,
    // so each nesting level costs little stack (see LimitsTests).

    private var kind: TokenKind { tokens[index].kind }
    private var offset: Int { tokens[index].range.start }
    private var nextKind: TokenKind { index + 1 < tokens.count ? tokens[index + 1].kind : .eof }

    mutating func parseQuery() throws(PromQLError) -> Expr {
        if kind == .eof { throw syntaxError("no expression found in input", at: 0) }
        let parsed = try parseExpr(minPrecedence: 0)
        guard kind == .eof else { throw unexpected() }
        return parsed.expr
    }

    /// Binary operators by precedence climbing. Left-associative chains loop; `^` recurses on the right.
    private mutating func parseExpr(minPrecedence: Int) throws(PromQLError) -> Parsed {
        depth += 1
        defer { depth -= 1 }
        try checkHeight(depth, at: offset)

        var left: Parsed
        if kind == .add || kind == .sub {
            left = try parseSigned()
        } else {
            left = try parsePrimary()
            while isPostfixModifier { left = try parsePostfixModifier(left) }
        }
        while let op = tokens[index].binaryOperator, op.precedence >= minPrecedence {
            let header = try parseBinaryHeader(op)
            let right = try parseExpr(minPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1)
            left = try makeBinary(header, left: left, right: right)
        }
        return left
    }

    /// `+x` / `-x`: the operand takes only `^` and postfix modifiers, so `-a * b` is `(-a) * b` and
    /// `-a ^ b` is `-(a ^ b)`, as in Prometheus. A sign on a number literal folds into the literal.
    private mutating func parseSigned() throws(PromQLError) -> Parsed {
        let negative = kind == .sub
        let start = offset
        advance()
        let operand = try parseExpr(minPrecedence: BinaryOp.pow.precedence)
        return try makeUnary(negative: negative, start: start, operand: operand)
    }

    private mutating func parsePrimary() throws(PromQLError) -> Parsed {
        switch kind {
        case .number, .string, .duration:
            return parseLiteral()
        case .leftParen:
            return try parseParen()
        case .leftBrace:
            return try parseSelector(hasName: false)
        case .identifier:
            if nextKind == .leftParen { return try parseCall() }
            return try parseSelector(hasName: true)
        case .metricIdentifier:
            return try parseSelector(hasName: true)
        case .keyword(let keyword):
            if keyword.aggregation != nil {
                switch nextKind {
                case .leftParen, .keyword(.by), .keyword(.without): return try parseAggregation()
                default: break
                }
            }
            guard keyword.canBeMetricName else { throw unexpected() }
            return try parseSelector(hasName: true)
        case .eof, .rightParen, .leftBracket, .rightBracket, .rightBrace, .comma, .colon, .at, .add, .sub, .mul, .div,
             .mod, .pow, .eqlc, .neq, .lss, .lte, .gtr, .gte, .eql, .eqlRegex, .neqRegex:
            throw unexpected()
        }
    }

    @inline(never)
    private mutating func parseLiteral() -> Parsed {
        let token = advance()
        switch token.kind {
        case .string:
            return Parsed(expr: .string(StringLiteral(token.text, position: token.range)), height: 1, type: .string)
        case .duration:
            // Prometheus 3 reads a duration where a number is expected as its length in seconds.
            let literal = NumberLiteral(Double(token.millis) / 1000, position: token.range)
            return Parsed(expr: .number(literal), height: 1, type: .scalar)
        default:
            return Parsed(expr: .number(NumberLiteral(token.number, position: token.range)), height: 1, type: .scalar)
        }
    }

    @inline(never)
    private mutating func parseParen() throws(PromQLError) -> Parsed {
        let start = offset
        advance()
        let inner = try parseExpr(minPrecedence: 0)
        return try finishParen(inner, start: start)
    }

    @inline(never)
    private mutating func finishParen(_ inner: Parsed, start: Int) throws(PromQLError) -> Parsed {
        guard kind == .rightParen else { throw unexpected("paren expression", expected: "\")\"") }
        let close = advance()
        let height = inner.height + 1
        try checkHeight(height, at: start)
        let node = ParenExpr(inner.expr, position: SourceRange(start: start, end: close.range.end))
        return Parsed(expr: .paren(node), height: height, type: inner.type)
    }

    @inline(never)
    private mutating func makeUnary(negative: Bool, start: Int, operand: Parsed) throws(PromQLError) -> Parsed {
        if case .number(var literal) = operand.expr {
            if negative { literal.value = -literal.value }
            literal.position.start = start
            return Parsed(expr: .number(literal), height: operand.height, type: .scalar)
        }
        guard operand.type == .scalar || operand.type == .vector else {
            throw typeError("unary expression only allowed on expressions of type scalar or instant vector, got "
                + "\"\(operand.type.documentedName)\"", at: start)
        }
        let height = operand.height + 1
        try checkHeight(height, at: start)
        let node = UnaryExpr(op: negative ? .sub : .add, expr: operand.expr,
                             position: SourceRange(start: start, end: offset))
        return Parsed(expr: .unary(node), height: height, type: operand.type)
    }

    /// The operator and its modifiers: `op [bool] [on|ignoring (…) [group_left|group_right [(…)]]]`.
    struct BinaryHeader {
        var op: BinaryOp
        var offset: Int
        var returnBool = false
        var matching = VectorMatching()
    }

    @inline(never)
    private mutating func parseBinaryHeader(_ op: BinaryOp) throws(PromQLError) -> BinaryHeader {
        var header = BinaryHeader(op: op, offset: offset)
        advance()
        if kind == .keyword(.bool) {
            advance()
            header.returnBool = true
        }
        if kind == .keyword(.on) || kind == .keyword(.ignoring) {
            header.matching.on = kind == .keyword(.on)
            advance()
            header.matching.labels = try parseGroupingLabels()
            if kind == .keyword(.groupLeft) || kind == .keyword(.groupRight) {
                header.matching.cardinality = kind == .keyword(.groupLeft) ? .manyToOne : .oneToMany
                advance()
                if kind == .leftParen { header.matching.include = try parseGroupingLabels() }
            }
        }
        return header
    }

    private var isPostfixModifier: Bool {
        switch kind {
        case .leftBracket, .keyword(.offset), .at: true
        default: false
        }
    }

    /// `[range]`, `[range:step]`, `offset d`, `@ t` applied to the operand.
    @inline(never)
    private mutating func parsePostfixModifier(_ operand: Parsed) throws(PromQLError) -> Parsed {
        switch kind {
        case .leftBracket: try parseRangeOrSubquery(operand)
        case .keyword(.offset): try parseOffset(operand)
        default: try parseAt(operand)
        }
    }

    // MARK: - Selectors

    /// `name`, `name{…}` or `{…}`. The name becomes the first matcher, `__name__="name"`.
    @inline(never)
    private mutating func parseSelector(hasName: Bool) throws(PromQLError) -> Parsed {
        let name: Token? = hasName ? advance() : nil
        let start = name?.range.start ?? current.range.start
        var matchers: [LabelMatcher] = []
        if let name { matchers.append(LabelMatcher(equal: metricNameLabel, name.text)) }
        var end = name?.range.end ?? start
        if current.kind == .leftBrace {
            advance()
            while current.kind != .rightBrace {
                matchers.append(try parseMatcher())
                if current.kind == .comma {
                    advance()
                } else if current.kind != .rightBrace {
                    throw unexpected("label matching", expected: "\",\" or \"}\"")
                }
            }
            end = current.range.end
            advance()
        }
        let range = SourceRange(start: start, end: end)
        if let name {
            for matcher in matchers.dropFirst() where matcher.isOn(metricNameLabel) {
                throw typeError("metric name must not be set twice: \(goQuote(name.text)) or \(goQuote(matcher.value))",
                                at: start)
            }
        } else if !matchers.contains(where: { !$0.matches("") }) {
            throw typeError("vector selector must contain at least one non-empty matcher", at: start)
        }
        return Parsed(expr: .vectorSelector(VectorSelector(matchers: matchers, position: range)), height: 1,
                      type: .vector)
    }

    /// `label op "value"`, `"label" op "value"`, or `"metric name"`.
    @inline(never)
    private mutating func parseMatcher() throws(PromQLError) -> LabelMatcher {
        let nameToken = current
        switch nameToken.kind {
        case .identifier:
            advance()
        case .string:
            advance()
            guard [.eql, .neq, .eqlRegex, .neqRegex].contains(current.kind) else {
                // A lone quoted string is the metric name (Prometheus 3 UTF-8 names).
                return LabelMatcher(equal: metricNameLabel, nameToken.text)
            }
            if nameToken.text.isEmpty { throw syntaxError("label name must not be empty", at: nameToken.range.start) }
        default:
            throw unexpected("label matching", expected: "identifier or \"}\"")
        }
        let op: LabelMatcher.Op
        switch current.kind {
        case .eql: op = .equal
        case .neq: op = .notEqual
        case .eqlRegex: op = .regexMatch
        case .neqRegex: op = .regexNoMatch
        default: throw unexpected("label matching", expected: "label matching operator")
        }
        advance()
        guard current.kind == .string else { throw unexpected("label matching", expected: "string") }
        let valueToken = advance()
        do {
            return try LabelMatcher(name: nameToken.text, op: op, value: valueToken.text)
        } catch {
            throw syntaxError("error parsing regexp: \(error.message): `\(valueToken.text)`", at: nameToken.range.start)
        }
    }

    // MARK: - Postfix modifiers

    @inline(never)
    private mutating func durationMilliseconds(_ token: Token) throws(PromQLError) -> Int64 {
        switch token.kind {
        case .duration:
            return token.millis
        case .number:
            // time.Duration is int64 nanoseconds: larger values are out of range, as in Prometheus.
            let millis = token.number * 1000
            guard millis.isFinite, abs(millis) <= Double(Int64.max / 1_000_000) else {
                throw syntaxError("duration out of range", at: token.range.start)
            }
            return Int64(millis.rounded(.towardZero))
        default:
            throw syntaxError("expected number or duration", at: token.range.start)
        }
    }

    @inline(never)
    private mutating func parseRangeOrSubquery(_ operand: Parsed) throws(PromQLError) -> Parsed {
        let open = advance()
        guard current.kind == .duration || current.kind == .number else {
            throw unexpected("subquery selector", expected: "number or duration")
        }
        let range = try durationMilliseconds(advance())
        switch current.kind {
        case .rightBracket:
            advance()
            guard case .vectorSelector(let selector) = operand.expr else {
                throw typeError("ranges only allowed for vector selectors", at: open.range.start)
            }
            if selector.offsetMilliseconds != 0 {
                throw typeError("no offset modifiers allowed before range", at: open.range.start)
            }
            if selector.at != nil { throw typeError("no @ modifiers allowed before range", at: open.range.start) }
            return Parsed(expr: .matrixSelector(MatrixSelector(selector: selector, rangeMilliseconds: range)),
                          height: operand.height, type: .matrix)
        case .colon:
            advance()
            var step: Int64 = 0
            if current.kind == .duration || current.kind == .number { step = try durationMilliseconds(advance()) }
            guard current.kind == .rightBracket else {
                throw unexpected("subquery selector", expected: "number or duration or \"]\"")
            }
            advance()
            guard operand.type == .vector else {
                throw typeError("subquery is only allowed on instant vector, got \(operand.type.rawValue) instead",
                                at: operand.expr.startOffset)
            }
            let height = operand.height + 1
            try checkHeight(height, at: open.range.start)
            let node = SubqueryExpr(expr: operand.expr, rangeMilliseconds: range, stepMilliseconds: step,
                                    position: SourceRange(start: operand.expr.startOffset, end: open.range.end))
            return Parsed(expr: .subquery(node), height: height, type: .matrix)
        default:
            throw unexpected("subquery or range", expected: "\":\" or \"]\"")
        }
    }

    @inline(never)
    private mutating func parseOffset(_ operand: Parsed) throws(PromQLError) -> Parsed {
        let keyword = advance()
        var negative = false
        if current.kind == .sub {
            advance()
            negative = true
        }
        guard current.kind == .duration || current.kind == .number else {
            throw unexpected("offset", expected: "number or duration")
        }
        var offset = try durationMilliseconds(advance())
        if negative { offset = -offset }
        let twice = "offset may not be set multiple times"
        var result = operand
        switch operand.expr {
        case .vectorSelector(var selector):
            if selector.offsetMilliseconds != 0 { throw typeError(twice, at: keyword.range.start) }
            selector.offsetMilliseconds = offset
            result.expr = .vectorSelector(selector)
        case .matrixSelector(var matrix):
            if matrix.selector.offsetMilliseconds != 0 { throw typeError(twice, at: keyword.range.start) }
            matrix.selector.offsetMilliseconds = offset
            result.expr = .matrixSelector(matrix)
        case .subquery(var subquery):
            if subquery.offsetMilliseconds != 0 { throw typeError(twice, at: keyword.range.start) }
            subquery.offsetMilliseconds = offset
            result.expr = .subquery(subquery)
        case .number, .string, .paren, .unary, .binary, .call, .aggregate:
            throw typeError("offset modifier must be preceded by an instant vector selector or range vector "
                + "selector or a subquery", at: keyword.range.start)
        }
        return result
    }

    @inline(never)
    private mutating func parseAt(_ operand: Parsed) throws(PromQLError) -> Parsed {
        let at = advance()
        let modifier: AtModifier
        if current.kind == .keyword(.start) || current.kind == .keyword(.end) {
            let which = advance()
            guard current.kind == .leftParen, peek().kind == .rightParen else { throw unexpected("@", expected: "\"(\"") }
            advance()
            advance()
            modifier = which.kind == .keyword(.start) ? .start : .end
        } else {
            var sign: Double = 1
            if current.kind == .add || current.kind == .sub {
                sign = current.kind == .sub ? -1 : 1
                advance()
            }
            guard current.kind == .number || current.kind == .duration else { throw unexpected("@", expected: "timestamp") }
            let token = advance()
            let seconds = sign * (token.kind == .duration ? Double(token.millis) / 1000 : token.number)
            let millis = (seconds * 1000).rounded()
            guard seconds.isFinite, abs(millis) < 9.2e18 else {
                throw typeError("timestamp out of bounds for @ modifier: \(seconds)", at: token.range.start)
            }
            modifier = .timestamp(milliseconds: Int64(millis))
        }
        let twice = "@ <timestamp> may not be set multiple times"
        var result = operand
        switch operand.expr {
        case .vectorSelector(var selector):
            if selector.at != nil { throw typeError(twice, at: at.range.start) }
            selector.at = modifier
            result.expr = .vectorSelector(selector)
        case .matrixSelector(var matrix):
            if matrix.selector.at != nil { throw typeError(twice, at: at.range.start) }
            matrix.selector.at = modifier
            result.expr = .matrixSelector(matrix)
        case .subquery(var subquery):
            if subquery.at != nil { throw typeError(twice, at: at.range.start) }
            subquery.at = modifier
            result.expr = .subquery(subquery)
        case .number, .string, .paren, .unary, .binary, .call, .aggregate:
            throw typeError("@ modifier must be preceded by an instant vector selector or range vector selector "
                + "or a subquery", at: at.range.start)
        }
        return result
    }

    // MARK: - Calls and aggregations

    /// `( expr, expr, … )`, the opening parenthesis being current.
    private mutating func parseArguments() throws(PromQLError) -> (args: [Parsed], end: Int) {
        var args: [Parsed] = []
        if let end = try openArguments() { return (args, end) }
        while true {
            args.append(try parseExpr(minPrecedence: 0))
            if let end = try argumentSeparator() { return (args, end) }
        }
    }

    /// Consumes `(`; returns the end offset when the list is empty (`()`).
    @inline(never)
    private mutating func openArguments() throws(PromQLError) -> Int? {
        guard kind == .leftParen else { throw unexpected("function call", expected: "\"(\"") }
        advance()
        if kind == .rightParen { return advance().range.end }
        return nil
    }

    /// Consumes `,` (returning nil: more arguments follow) or `)` (returning the end offset).
    @inline(never)
    private mutating func argumentSeparator() throws(PromQLError) -> Int? {
        if kind == .comma {
            let comma = advance()
            if kind == .rightParen {
                throw syntaxError("trailing commas not allowed in function call args", at: comma.range.start)
            }
            return nil
        }
        guard kind == .rightParen else { throw unexpected("function call", expected: "\",\" or \")\"") }
        return advance().range.end
    }

    @inline(never)
    private mutating func parseCall() throws(PromQLError) -> Parsed {
        let start = offset
        let function = try beginCall()
        let (args, end) = try parseArguments()
        return try finishCall(function, args: args, range: SourceRange(start: start, end: end))
    }

    @inline(never)
    private mutating func beginCall() throws(PromQLError) -> Function {
        let nameToken = advance()
        guard let function = Function.named(nameToken.text) else {
            throw typeError("unknown function with name \(goQuote(nameToken.text))", at: nameToken.range.start)
        }
        if function.isExperimental && !options.experimentalFunctions {
            throw typeError("function \(goQuote(function.name)) is not enabled", at: nameToken.range.start)
        }
        return function
    }

    @inline(never)
    private func finishCall(_ function: Function, args: [Parsed], range: SourceRange) throws(PromQLError) -> Parsed {
        try checkCall(function, args: args, at: range.start)
        let height = (args.map(\.height).max() ?? 0) + 1
        try checkHeight(height, at: range.start)
        let call = Call(function: function, args: args.map(\.expr), position: range)
        return Parsed(expr: .call(call), height: height, type: function.returnType)
    }

    /// An aggregation being parsed: operator and a modifier written before the arguments.
    struct AggregationHeader {
        var op: AggregateOp
        var start: Int
        var grouping: [String] = []
        var without = false
        var hasModifier = false
    }

    @inline(never)
    private mutating func parseAggregation() throws(PromQLError) -> Parsed {
        let header = try beginAggregation()
        let (args, end) = try parseArguments()
        return try finishAggregation(header, args: args, end: end)
    }

    @inline(never)
    private mutating func beginAggregation() throws(PromQLError) -> AggregationHeader {
        let opToken = advance()
        guard case .keyword(let keyword) = opToken.kind, let op = keyword.aggregation else { throw unexpected() }
        var header = AggregationHeader(op: op, start: opToken.range.start)
        if kind == .keyword(.by) || kind == .keyword(.without) {
            header.without = kind == .keyword(.without)
            advance()
            header.grouping = try parseGroupingLabels()
            header.hasModifier = true
        }
        guard kind == .leftParen else { throw unexpected("aggregation", expected: "\"(\"") }
        return header
    }

    @inline(never)
    private mutating func finishAggregation(_ header: AggregationHeader, args: [Parsed], end: Int) throws(PromQLError)
        -> Parsed {
        var header = header
        if !header.hasModifier, kind == .keyword(.by) || kind == .keyword(.without) {
            header.without = kind == .keyword(.without)
            advance()
            header.grouping = try parseGroupingLabels()
        }
        let op = header.op
        let range = SourceRange(start: header.start, end: end)
        if op.isExperimental && !options.experimentalFunctions {
            throw typeError("\(op.rawValue)() is experimental and must be enabled with "
                + "--enable-feature=promql-experimental-functions", at: range.start)
        }
        guard !args.isEmpty else { throw typeError("no arguments for aggregate expression provided", at: range.start) }
        let expected = op.hasParameter ? 2 : 1
        guard args.count == expected else {
            throw typeError("wrong number of arguments for aggregate expression provided, expected \(expected), "
                + "got \(args.count)", at: range.start)
        }
        let param = op.hasParameter ? args[0] : nil
        let expr = args[expected - 1]
        try checkAggregation(op, param: param, expr: expr)
        let height = (args.map(\.height).max() ?? 0) + 1
        try checkHeight(height, at: range.start)
        let node = AggregateExpr(op: op, param: param?.expr, expr: expr.expr, grouping: header.grouping,
                                 without: header.without, position: range)
        return Parsed(expr: .aggregate(node), height: height, type: .vector)
    }

    /// `( label, "label", … )` after `by`, `without`, `on`, `ignoring`, `group_left`, `group_right`.
    @inline(never)
    private mutating func parseGroupingLabels() throws(PromQLError) -> [String] {
        guard current.kind == .leftParen else { throw unexpected("grouping opts", expected: "\"(\"") }
        advance()
        var labels: [String] = []
        while current.kind != .rightParen {
            let token = current
            switch token.kind {
            case .identifier, .keyword(.and), .keyword(.or), .keyword(.unless), .keyword(.atan2), .keyword(.sum),
                 .keyword(.avg), .keyword(.count), .keyword(.min), .keyword(.max), .keyword(.group), .keyword(.stddev),
                 .keyword(.stdvar), .keyword(.topk), .keyword(.bottomk), .keyword(.countValues), .keyword(.quantile),
                 .keyword(.limitk), .keyword(.limitRatio), .keyword(.offset), .keyword(.by), .keyword(.on),
                 .keyword(.ignoring), .keyword(.groupLeft), .keyword(.groupRight), .keyword(.bool), .keyword(.start),
                 .keyword(.end):
                // Prometheus's `maybe_label`: every keyword except `without`.
                labels.append(token.text)
            case .string:
                if token.text.isEmpty { throw syntaxError("label name must not be empty", at: token.range.start) }
                labels.append(token.text)
            default:
                throw unexpected("grouping opts", expected: "label")
            }
            advance()
            if current.kind == .comma {
                advance()
            } else if current.kind != .rightParen {
                throw unexpected("grouping opts", expected: "\",\" or \")\"")
            }
        }
        advance()
        return labels
    }
}
