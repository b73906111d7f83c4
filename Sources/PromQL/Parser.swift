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

    func position(_ offset: Int) -> SourcePosition {
        SourcePosition(range: SourceRange(start: offset, end: offset), in: source)
    }

    func syntaxError(_ message: String, at offset: Int) -> PromQLError {
        .syntax(message: message, position: position(offset))
    }

    func typeError(_ message: String, at offset: Int) -> PromQLError {
        .type(message: message, position: position(offset))
    }

    /// Prometheus's `unexpected(context, expected)` message for the current token.
    private func unexpected(_ context: String = "", expected: String = "") -> PromQLError {
        var message = "unexpected \(current.errorDescription)"
        if !context.isEmpty { message += " in \(context)" }
        if !expected.isEmpty { message += ", expected \(expected)" }
        return syntaxError(message, at: current.range.start)
    }

    private func checkHeight(_ height: Int, at offset: Int) throws(PromQLError) {
        if height > options.maxDepth { throw .tooDeep(limit: options.maxDepth, position: position(offset)) }
    }

    // MARK: - Expressions

    mutating func parseQuery() throws(PromQLError) -> Expr {
        if current.kind == .eof { throw syntaxError("no expression found in input", at: 0) }
        let parsed = try parseExpr(minPrecedence: 0)
        guard current.kind == .eof else { throw unexpected() }
        return parsed.expr
    }

    /// Binary operators by precedence climbing. Left-associative chains loop; `^` recurses on the right.
    private mutating func parseExpr(minPrecedence: Int) throws(PromQLError) -> Parsed {
        depth += 1
        defer { depth -= 1 }
        try checkHeight(depth, at: current.range.start)

        var left = try parseUnary()
        while let op = current.binaryOperator, op.precedence >= minPrecedence {
            let opToken = advance()
            var returnBool = false
            var matching = VectorMatching()
            var hasMatchingClause = false
            if current.kind == .keyword(.bool) {
                advance()
                returnBool = true
            }
            if current.kind == .keyword(.on) || current.kind == .keyword(.ignoring) {
                matching.on = current.kind == .keyword(.on)
                advance()
                matching.labels = try parseGroupingLabels()
                hasMatchingClause = true
                if current.kind == .keyword(.groupLeft) || current.kind == .keyword(.groupRight) {
                    matching.cardinality = current.kind == .keyword(.groupLeft) ? .manyToOne : .oneToMany
                    advance()
                    if current.kind == .leftParen { matching.include = try parseGroupingLabels() }
                }
            }
            let right = try parseExpr(minPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1)
            let height = max(left.height, right.height) + 1
            try checkHeight(height, at: opToken.range.start)
            left = try makeBinary(op: op, opToken: opToken, left: left, right: right, returnBool: returnBool,
                                  matching: matching, hasMatchingClause: hasMatchingClause, height: height)
        }
        return left
    }

    /// `+x` / `-x`: the operand takes only `^` and postfix modifiers, so `-a * b` is `(-a) * b` and
    /// `-a ^ b` is `-(a ^ b)`, as in Prometheus. A sign on a number literal folds into the literal.
    private mutating func parseUnary() throws(PromQLError) -> Parsed {
        guard current.kind == .add || current.kind == .sub else { return try parsePostfix() }
        let opToken = advance()
        let operand = try parseExpr(minPrecedence: BinaryOp.pow.precedence)
        if case .number(var literal) = operand.expr {
            if opToken.kind == .sub { literal.value = -literal.value }
            literal.position.start = opToken.range.start
            return Parsed(expr: .number(literal), height: operand.height, type: .scalar)
        }
        guard operand.type == .scalar || operand.type == .vector else {
            throw typeError("unary expression only allowed on expressions of type scalar or instant vector, got "
                + "\"\(operand.type.documentedName)\"", at: opToken.range.start)
        }
        let height = operand.height + 1
        try checkHeight(height, at: opToken.range.start)
        let node = UnaryExpr(op: opToken.kind == .sub ? .sub : .add, expr: operand.expr,
                             position: SourceRange(start: opToken.range.start, end: current.range.start))
        return Parsed(expr: .unary(node), height: height, type: operand.type)
    }

    /// A primary expression followed by any number of `[range]`, `[range:step]`, `offset`, `@`.
    private mutating func parsePostfix() throws(PromQLError) -> Parsed {
        var operand = try parsePrimary()
        while true {
            switch current.kind {
            case .leftBracket: operand = try parseRangeOrSubquery(operand)
            case .keyword(.offset): operand = try parseOffset(operand)
            case .at: operand = try parseAt(operand)
            default: return operand
            }
        }
    }

    private mutating func parsePrimary() throws(PromQLError) -> Parsed {
        let token = current
        switch token.kind {
        case .number:
            advance()
            return Parsed(expr: .number(NumberLiteral(token.number, position: token.range)), height: 1, type: .scalar)
        case .string:
            advance()
            return Parsed(expr: .string(StringLiteral(token.text, position: token.range)), height: 1, type: .string)
        case .leftParen:
            advance()
            let inner = try parseExpr(minPrecedence: 0)
            guard current.kind == .rightParen else { throw unexpected("paren expression", expected: "\")\"") }
            let close = advance()
            let height = inner.height + 1
            try checkHeight(height, at: token.range.start)
            let node = ParenExpr(inner.expr, position: SourceRange(start: token.range.start, end: close.range.end))
            return Parsed(expr: .paren(node), height: height, type: inner.type)
        case .leftBrace:
            return try parseSelector(name: nil)
        case .identifier:
            if peek().kind == .leftParen { return try parseCall() }
            advance()
            return try parseSelector(name: token)
        case .metricIdentifier:
            advance()
            return try parseSelector(name: token)
        case .keyword(let keyword):
            if let op = keyword.aggregation,
               [.leftParen, .keyword(.by), .keyword(.without)].contains(peek().kind) {
                return try parseAggregation(op)
            }
            guard keyword.canBeMetricName else { throw unexpected() }
            advance()
            return try parseSelector(name: token)
        case .duration:
            // Prometheus 3 reads a duration where a number is expected as its length in seconds.
            advance()
            let literal = NumberLiteral(Double(token.millis) / 1000, position: token.range)
            return Parsed(expr: .number(literal), height: 1, type: .scalar)
        case .eof:
            throw unexpected()
        case .rightParen, .leftBracket, .rightBracket, .rightBrace,
             .comma, .colon, .at, .add, .sub, .mul, .div, .mod, .pow, .eqlc, .neq, .lss, .lte, .gtr, .gte, .eql,
             .eqlRegex, .neqRegex:
            throw unexpected()
        }
    }

    // MARK: - Selectors

    /// `name`, `name{…}` or `{…}`. The name becomes the first matcher, `__name__="name"`.
    private mutating func parseSelector(name: Token?) throws(PromQLError) -> Parsed {
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

    private mutating func durationMilliseconds(_ token: Token) throws(PromQLError) -> Int64 {
        switch token.kind {
        case .duration:
            return token.millis
        case .number:
            let millis = token.number * 1000
            guard millis.isFinite, abs(millis) < 9.2e15 else {
                throw syntaxError("duration out of range", at: token.range.start)
            }
            return Int64(millis.rounded(.towardZero))
        default:
            throw syntaxError("expected number or duration", at: token.range.start)
        }
    }

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
        guard current.kind == .leftParen else { throw unexpected("function call", expected: "\"(\"") }
        advance()
        var args: [Parsed] = []
        if current.kind == .rightParen { return (args, advance().range.end) }
        while true {
            args.append(try parseExpr(minPrecedence: 0))
            if current.kind == .comma {
                let comma = advance()
                if current.kind == .rightParen {
                    throw syntaxError("trailing commas not allowed in function call args", at: comma.range.start)
                }
                continue
            }
            guard current.kind == .rightParen else { throw unexpected("function call", expected: "\",\" or \")\"") }
            return (args, advance().range.end)
        }
    }

    private mutating func parseCall() throws(PromQLError) -> Parsed {
        let nameToken = advance()
        guard let function = Function.named(nameToken.text) else {
            throw typeError("unknown function with name \(goQuote(nameToken.text))", at: nameToken.range.start)
        }
        if function.isExperimental && !options.experimentalFunctions {
            throw typeError("function \(goQuote(function.name)) is not enabled", at: nameToken.range.start)
        }
        let (args, end) = try parseArguments()
        let range = SourceRange(start: nameToken.range.start, end: end)
        try checkCall(function, args: args, at: range.start)
        let height = (args.map(\.height).max() ?? 0) + 1
        try checkHeight(height, at: range.start)
        let call = Call(function: function, args: args.map(\.expr), position: range)
        return Parsed(expr: .call(call), height: height, type: function.returnType)
    }

    private mutating func parseAggregation(_ op: AggregateOp) throws(PromQLError) -> Parsed {
        let opToken = advance()
        var grouping: [String] = []
        var without = false
        var hasModifier = false
        if current.kind == .keyword(.by) || current.kind == .keyword(.without) {
            without = current.kind == .keyword(.without)
            advance()
            grouping = try parseGroupingLabels()
            hasModifier = true
        }
        guard current.kind == .leftParen else { throw unexpected("aggregation", expected: "\"(\"") }
        let (args, end) = try parseArguments()
        if !hasModifier, current.kind == .keyword(.by) || current.kind == .keyword(.without) {
            without = current.kind == .keyword(.without)
            advance()
            grouping = try parseGroupingLabels()
        }
        let range = SourceRange(start: opToken.range.start, end: end)
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
        let height = args.map(\.height).max().map { $0 + 1 } ?? 1
        try checkHeight(height, at: range.start)
        let node = AggregateExpr(op: op, param: param?.expr, expr: expr.expr, grouping: grouping, without: without,
                                 position: range)
        return Parsed(expr: .aggregate(node), height: height, type: .vector)
    }

    /// `( label, "label", … )` after `by`, `without`, `on`, `ignoring`, `group_left`, `group_right`.
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
