import Testing
@testable import PromQL

/// A lexer input and the token kinds (and, where given, texts) it must produce, grouped by category
/// as Prometheus's `lex_test.go` does.
struct LexCase: CustomTestStringConvertible, Sendable {
    var input: String
    var kinds: [TokenKind]
    var texts: [String]?
    var testDescription: String { input }

    init(_ input: String, _ kinds: [TokenKind], texts: [String]? = nil) {
        self.input = input
        self.kinds = kinds
        self.texts = texts
    }
}

@Suite("Lexer")
struct LexerTests {
    static let common: [LexCase] = [
        LexCase(",", [.comma]),
        LexCase("()", [.leftParen, .rightParen]),
        LexCase("{}", [.leftBrace, .rightBrace]),
        LexCase("[5m]", [.leftBracket, .duration, .rightBracket]),
        LexCase("[ 5m]", [.leftBracket, .duration, .rightBracket]),
        LexCase("[5m:]", [.leftBracket, .duration, .colon, .rightBracket]),
        LexCase("@", [.at]),
        LexCase("\r\n\r", []),
    ]

    static let numbers: [LexCase] = [
        LexCase("1", [.number], texts: ["1"]),
        LexCase("4.23", [.number]),
        LexCase(".3", [.number]),
        LexCase("5.", [.number]),
        LexCase("NaN", [.number]),
        LexCase("nAN", [.number]),
        LexCase("Inf", [.number]),
        LexCase("iNf", [.number]),
        LexCase("+Inf", [.add, .number]),
        LexCase("-Inf", [.sub, .number]),
        LexCase("0x123", [.number]),
        LexCase("0X1f", [.number]),
        LexCase("1e10", [.number]),
        LexCase("1E-10", [.number]),
        LexCase("1.5e+3", [.number]),
        LexCase("1_000", [.number]),
        LexCase("0x_1F", [.number]),
        LexCase("NaN123", [.identifier]),
        LexCase("Infinity", [.identifier]),
    ]

    static let strings: [LexCase] = [
        LexCase(#""test\tsequence""#, [.string], texts: ["test\tsequence"]),
        LexCase(#""test\\.expression""#, [.string], texts: [#"test\.expression"#]),
        LexCase(#""test\"quote""#, [.string], texts: ["test\"quote"]),
        LexCase(#"'single \' quote'"#, [.string], texts: ["single ' quote"]),
        LexCase("`raw \\n string`", [.string], texts: ["raw \\n string"]),
        LexCase("`multi\nline`", [.string], texts: ["multi\nline"]),
        LexCase(#""\a\b\f\n\r\t\v""#, [.string], texts: ["\u{07}\u{08}\u{0C}\n\r\t\u{0B}"]),
        LexCase(#""\x41\101\u00e9\U0001F600""#, [.string], texts: ["AAé😀"]),
        LexCase(#""\xc3\xa9""#, [.string], texts: ["é"]),
        LexCase(#""ünïcödé""#, [.string], texts: ["ünïcödé"]),
        LexCase(#""""#, [.string], texts: [""]),
    ]

    static let durations: [LexCase] = [
        LexCase("5s", [.duration]),
        LexCase("123m", [.duration]),
        LexCase("1h", [.duration]),
        LexCase("3w", [.duration]),
        LexCase("1y", [.duration]),
        LexCase("250ms", [.duration]),
        LexCase("1h30m", [.duration]),
        LexCase("1y2w3d4h5m6s7ms", [.duration]),
    ]

    static let identifiers: [LexCase] = [
        LexCase("abc", [.identifier]),
        LexCase("a:bc", [.metricIdentifier]),
        LexCase(":bc", [.metricIdentifier]),
        LexCase("abc d", [.identifier, .identifier]),
        LexCase("vllm:num_requests_running", [.metricIdentifier]),
        LexCase("{by=\"x\"}", [.leftBrace, .identifier, .eql, .string, .rightBrace]),
        LexCase("{sum=\"x\"}", [.leftBrace, .identifier, .eql, .string, .rightBrace]),
    ]

    static let comments: [LexCase] = [
        LexCase("# some comment", []),
        LexCase("5 # 1+1\n5", [.number, .number]),
        LexCase("{a=\"b\" # c\n}", [.leftBrace, .identifier, .eql, .string, .rightBrace]),
        LexCase("{a=\"#b\"}", [.leftBrace, .identifier, .eql, .string, .rightBrace], texts: ["{", "a", "=", "#b", "}"]),
    ]

    static let operators: [LexCase] = [
        LexCase("=", [.eql]),
        LexCase("{=}", [.leftBrace, .eql, .rightBrace]),
        LexCase("==", [.eqlc]),
        LexCase("!=", [.neq]),
        LexCase("<", [.lss]),
        LexCase(">", [.gtr]),
        LexCase(">=", [.gte]),
        LexCase("<=", [.lte]),
        LexCase("+", [.add]),
        LexCase("-", [.sub]),
        LexCase("*", [.mul]),
        LexCase("/", [.div]),
        LexCase("^", [.pow]),
        LexCase("%", [.mod]),
        LexCase("AND", [.keyword(.and)]),
        LexCase("or", [.keyword(.or)]),
        LexCase("unless", [.keyword(.unless)]),
        LexCase("atan2", [.keyword(.atan2)]),
        LexCase("{a=~\"b\", c!~\"d\", e!=\"f\"}",
                [.leftBrace, .identifier, .eqlRegex, .string, .comma, .identifier, .neqRegex, .string, .comma,
                 .identifier, .neq, .string, .rightBrace]),
    ]

    static let keywords: [LexCase] = [
        LexCase("offset", [.keyword(.offset)]),
        LexCase("by", [.keyword(.by)]),
        LexCase("without", [.keyword(.without)]),
        LexCase("on", [.keyword(.on)]),
        LexCase("ignoring", [.keyword(.ignoring)]),
        LexCase("group_left", [.keyword(.groupLeft)]),
        LexCase("group_right", [.keyword(.groupRight)]),
        LexCase("bool", [.keyword(.bool)]),
        LexCase("SUM", [.keyword(.sum)]),
        LexCase("count_values", [.keyword(.countValues)]),
        LexCase("start", [.keyword(.start)]),
        LexCase("end", [.keyword(.end)]),
    ]

    @Test("lexes common punctuation", arguments: common)
    func lexCommon(_ scenario: LexCase) throws { try check(scenario) }

    @Test("lexes numbers in every spelling", arguments: numbers)
    func lexNumbers(_ scenario: LexCase) throws { try check(scenario) }

    @Test("lexes and decodes strings", arguments: strings)
    func lexStrings(_ scenario: LexCase) throws { try check(scenario) }

    @Test("lexes durations", arguments: durations)
    func lexDurations(_ scenario: LexCase) throws { try check(scenario) }

    @Test("lexes identifiers and metric identifiers", arguments: identifiers)
    func lexIdentifiers(_ scenario: LexCase) throws { try check(scenario) }

    @Test("drops comments", arguments: comments)
    func lexComments(_ scenario: LexCase) throws { try check(scenario) }

    @Test("lexes operators", arguments: operators)
    func lexOperators(_ scenario: LexCase) throws { try check(scenario) }

    @Test("lexes keywords case-insensitively", arguments: keywords)
    func lexKeywords(_ scenario: LexCase) throws { try check(scenario) }

    @Test("number values follow Go's ParseInt then ParseFloat", arguments: [
        ("0x1F", 31.0), ("017", 15.0), ("08", 8.0), ("1_000", 1000.0), ("1e3", 1000.0), (".5", 0.5), ("5.", 5.0),
        ("0x_FF", 255.0), ("1.5e-3", 0.0015),
    ])
    func numberValues(text: String, value: Double) throws {
        let tokens = try Lexer.tokenize(Array(text.utf8))
        #expect(tokens.first?.number == value)
    }

    @Test("duration values are milliseconds", arguments: [
        ("5s", Int64(5000)), ("1h30m", Int64(5_400_000)), ("250ms", Int64(250)), ("1y", Int64(31_536_000_000)),
        ("2w", Int64(1_209_600_000)), ("1d1ms", Int64(86_400_001)),
    ])
    func durationValues(text: String, millis: Int64) throws {
        let tokens = try Lexer.tokenize(Array(text.utf8))
        #expect(tokens.first?.millis == millis)
    }

    @Test("reports lexical errors with their position", arguments: [
        ("=~", "1:1: parse error: unexpected character after '=': '~'"),
        ("!~", "1:1: parse error: unexpected character after '!': '~'"),
        ("!(", "1:1: parse error: unexpected character after '!': '('"),
        ("1a", "1:1: parse error: bad number or duration syntax: \"1\""),
        ("5mm", "1:1: parse error: bad number or duration syntax: \"5mm\""),
        ("{", "1:2: parse error: unexpected end of input inside braces"),
        ("}", "1:1: parse error: unexpected character: '}'"),
        ("{{", "1:2: parse error: unexpected left brace '{'"),
        ("(", "1:2: parse error: unclosed left parenthesis"),
        (")", "1:1: parse error: unexpected right parenthesis ')'"),
        ("[", "1:2: parse error: unclosed left bracket"),
        ("]", "1:1: parse error: unexpected right bracket ']'"),
        ("[[", "1:2: parse error: unexpected left bracket '['"),
        ("[5m:1m:1m]", "1:7: parse error: unexpected colon ':'"),
        ("$", "1:1: parse error: unexpected character: '$'"),
        ("{a!b}", "1:3: parse error: unexpected character after '!' inside braces: 'b'"),
        ("{1}", "1:2: parse error: unexpected character inside braces: '1'"),
        (#""abc"#, "1:1: parse error: unterminated quoted string"),
        ("\"a\nb\"", "1:1: parse error: unterminated quoted string"),
        ("`abc", "1:1: parse error: unterminated raw string"),
        (#""\q""#, "1:2: parse error: unknown escape sequence U+0071 'q'"),
        (#""\400""#, "1:2: parse error: escape sequence is an invalid Unicode code point"),
        (#""\ud800""#, "1:2: parse error: escape sequence is an invalid Unicode code point"),
        (#""\x4g""#, "1:2: parse error: illegal character 'g' in escape sequence"),
        (#""\xff""#, "1:1: parse error: string escapes produce invalid UTF-8"),
        ("0s", "1:1: parse error: duration must be greater than 0"),
        ("1h1h", "1:1: parse error: not a valid duration string: \"1h1h\""),
        ("x\n  $", "2:3: parse error: unexpected character: '$'"),
    ])
    func errors(input: String, message: String) {
        #expect {
            _ = try Lexer.tokenize(Array(input.utf8))
        } throws: { error in
            (error as? PromQLError)?.description == message
        }
    }

    private func check(_ scenario: LexCase) throws {
        let tokens = try Lexer.tokenize(Array(scenario.input.utf8))
        #expect(tokens.last?.kind == .eof)
        let kinds = tokens.dropLast().map(\.kind)
        #expect(kinds == scenario.kinds)
        if let texts = scenario.texts {
            #expect(tokens.dropLast().map(\.text) == texts)
        }
    }
}
