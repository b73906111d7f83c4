/// Turns query bytes into tokens, following Prometheus's `lex.go` state by state.
///
/// The lexer tracks the same context Prometheus does (inside braces, inside brackets, paren depth), so
/// `by` is a keyword in `sum by (x)` but a label name in `{by="x"}`, and `5m` is a duration. Every string
/// escape is decoded here, exactly once; later stages only ever see decoded values. Comments (`#` to end
/// of line) are dropped.
struct Lexer {
    private let input: [UInt8]
    private var pos = 0
    private var tokens: [Token] = []
    private var parenDepth = 0
    private var braceOpen = false
    private var bracketOpen = false
    private var gotColon = false

    init(_ input: [UInt8]) {
        self.input = input
        tokens.reserveCapacity(input.count / 3 + 4)
    }

    /// Lexes the whole input. The last token is always `.eof`.
    static func tokenize(_ input: [UInt8]) throws(PromQLError) -> [Token] {
        var lexer = Lexer(input)
        try lexer.run()
        return lexer.tokens
    }

    // MARK: - Driver

    private mutating func run() throws(PromQLError) {
        while true {
            if braceOpen {
                try lexInsideBraces()
                continue
            }
            guard pos < input.count else {
                if parenDepth != 0 { throw error("unclosed left parenthesis", at: pos) }
                if bracketOpen { throw error("unclosed left bracket", at: pos) }
                tokens.append(Token(kind: .eof, range: SourceRange(start: pos, end: pos), text: ""))
                return
            }
            try lexStatement()
        }
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        let index = pos + offset
        return index < input.count ? input[index] : nil
    }

    private mutating func emit(_ kind: TokenKind, from start: Int) {
        let text = String(decoding: input[start..<pos], as: UTF8.self)
        tokens.append(Token(kind: kind, range: SourceRange(start: start, end: pos), text: text))
    }

    private func error(_ message: String, at offset: Int) -> PromQLError {
        .syntax(message: message, position: SourcePosition(range: SourceRange(start: offset, end: offset), in: input))
    }

    /// The character at `offset` as Go's `%q` prints a rune (`'}'`), for messages.
    private func quotedCharacter(at offset: Int) -> String {
        guard offset < input.count else { return "end of input" }
        let scalar = decodeScalar(at: offset)?.scalar ?? "\u{FFFD}"
        var out = "'"
        switch scalar {
        case "'": out += "\\'"
        case "\\": out += "\\\\"
        default: Printer.appendEscaped(String(scalar), to: &out)
        }
        return out + "'"
    }

    private func decodeScalar(at offset: Int) -> (scalar: Unicode.Scalar, length: Int)? {
        var iterator = input[offset...].makeIterator()
        var decoder = UTF8()
        switch decoder.decode(&iterator) {
        case .scalarValue(let scalar): return (scalar, UTF8.width(scalar))
        case .emptyInput, .error: return nil
        }
    }

    // MARK: - Outside braces (lexStatements)

    private mutating func lexStatement() throws(PromQLError) {
        let start = pos
        let byte = input[pos]
        switch byte {
        case UInt8(ascii: "#"):
            skipComment()
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            pos += 1
        case UInt8(ascii: ","): pos += 1; emit(.comma, from: start)
        case UInt8(ascii: "*"): pos += 1; emit(.mul, from: start)
        case UInt8(ascii: "/"): pos += 1; emit(.div, from: start)
        case UInt8(ascii: "%"): pos += 1; emit(.mod, from: start)
        case UInt8(ascii: "+"): pos += 1; emit(.add, from: start)
        case UInt8(ascii: "-"): pos += 1; emit(.sub, from: start)
        case UInt8(ascii: "^"): pos += 1; emit(.pow, from: start)
        case UInt8(ascii: "@"): pos += 1; emit(.at, from: start)
        case UInt8(ascii: "="):
            pos += 1
            if peek() == UInt8(ascii: "=") {
                pos += 1
                emit(.eqlc, from: start)
            } else if peek() == UInt8(ascii: "~") {
                throw error("unexpected character after '=': '~'", at: start)
            } else {
                emit(.eql, from: start)
            }
        case UInt8(ascii: "!"):
            pos += 1
            guard peek() == UInt8(ascii: "=") else {
                throw error("unexpected character after '!': \(quotedCharacter(at: pos))", at: start)
            }
            pos += 1
            emit(.neq, from: start)
        case UInt8(ascii: "<"):
            pos += 1
            if peek() == UInt8(ascii: "=") { pos += 1; emit(.lte, from: start) } else { emit(.lss, from: start) }
        case UInt8(ascii: ">"):
            pos += 1
            if peek() == UInt8(ascii: "=") { pos += 1; emit(.gte, from: start) } else { emit(.gtr, from: start) }
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            try lexQuotedString()
        case UInt8(ascii: "`"):
            try lexRawString()
        case UInt8(ascii: "("):
            pos += 1
            parenDepth += 1
            emit(.leftParen, from: start)
        case UInt8(ascii: ")"):
            pos += 1
            parenDepth -= 1
            if parenDepth < 0 { throw error("unexpected right parenthesis ')'", at: start) }
            emit(.rightParen, from: start)
        case UInt8(ascii: "{"):
            pos += 1
            braceOpen = true
            emit(.leftBrace, from: start)
        case UInt8(ascii: "["):
            if bracketOpen { throw error("unexpected left bracket '['", at: start) }
            pos += 1
            gotColon = false
            bracketOpen = true
            emit(.leftBracket, from: start)
        case UInt8(ascii: "]"):
            if !bracketOpen { throw error("unexpected right bracket ']'", at: start) }
            pos += 1
            bracketOpen = false
            emit(.rightBracket, from: start)
        default:
            if isDigit(byte) || (byte == UInt8(ascii: ".") && peek(1).map(isDigit) == true) {
                try lexNumberOrDuration()
            } else if isAlpha(byte) || byte == UInt8(ascii: ":") {
                if !bracketOpen {
                    lexKeywordOrIdentifier()
                } else if byte == UInt8(ascii: ":") {
                    if gotColon { throw error("unexpected colon ':'", at: start) }
                    pos += 1
                    gotColon = true
                    emit(.colon, from: start)
                } else {
                    throw error("unexpected character: \(quotedCharacter(at: start)), expected ':'", at: start)
                }
            } else {
                throw error("unexpected character: \(quotedCharacter(at: start))", at: start)
            }
        }
    }

    private mutating func skipComment() {
        while pos < input.count, input[pos] != UInt8(ascii: "\n"), input[pos] != UInt8(ascii: "\r") {
            pos += 1
        }
    }

    private mutating func lexKeywordOrIdentifier() {
        let start = pos
        var hasColon = false
        while pos < input.count, isAlphaNumeric(input[pos]) || input[pos] == UInt8(ascii: ":") {
            if input[pos] == UInt8(ascii: ":") { hasColon = true }
            pos += 1
        }
        let text = String(decoding: input[start..<pos], as: UTF8.self)
        let lower = text.lowercased()
        let range = SourceRange(start: start, end: pos)
        if let keyword = Keyword.table[lower] {
            tokens.append(Token(kind: .keyword(keyword), range: range, text: text))
        } else if lower == "inf" || lower == "nan" {
            tokens.append(Token(kind: .number, range: range, text: text, number: lower == "inf" ? .infinity : .nan))
        } else {
            tokens.append(Token(kind: hasColon ? .metricIdentifier : .identifier, range: range, text: text))
        }
    }

    // MARK: - Inside braces (lexInsideBraces)

    private mutating func lexInsideBraces() throws(PromQLError) {
        guard pos < input.count else { throw error("unexpected end of input inside braces", at: pos) }
        let start = pos
        let byte = input[pos]
        switch byte {
        case UInt8(ascii: "#"):
            skipComment()
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            pos += 1
        case UInt8(ascii: ","):
            pos += 1
            emit(.comma, from: start)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            try lexQuotedString()
        case UInt8(ascii: "`"):
            try lexRawString()
        case UInt8(ascii: "="):
            pos += 1
            if peek() == UInt8(ascii: "~") { pos += 1; emit(.eqlRegex, from: start) } else { emit(.eql, from: start) }
        case UInt8(ascii: "!"):
            pos += 1
            switch peek() {
            case UInt8(ascii: "~"): pos += 1; emit(.neqRegex, from: start)
            case UInt8(ascii: "="): pos += 1; emit(.neq, from: start)
            default:
                throw error("unexpected character after '!' inside braces: \(quotedCharacter(at: pos))", at: start)
            }
        case UInt8(ascii: "{"):
            throw error("unexpected left brace '{'", at: start)
        case UInt8(ascii: "}"):
            pos += 1
            braceOpen = false
            emit(.rightBrace, from: start)
        default:
            guard isAlpha(byte) else {
                throw error("unexpected character inside braces: \(quotedCharacter(at: start))", at: start)
            }
            while pos < input.count, isAlphaNumeric(input[pos]) { pos += 1 }
            emit(.identifier, from: start)
        }
    }

    // MARK: - Strings

    /// Lexes a `"…"` or `'…'` string and decodes its escapes (`lexString` + `lexEscape` + `strutil.Unquote`).
    private mutating func lexQuotedString() throws(PromQLError) {
        let start = pos
        let quote = input[pos]
        pos += 1
        var decoded: [UInt8] = []
        while true {
            guard pos < input.count else { throw error("unterminated quoted string", at: start) }
            let byte = input[pos]
            if byte == quote {
                pos += 1
                break
            }
            if byte == UInt8(ascii: "\n") { throw error("unterminated quoted string", at: start) }
            if byte == UInt8(ascii: "\\") {
                try decodeEscape(quote: quote, stringStart: start, into: &decoded)
                continue
            }
            if byte < 0x80 {
                decoded.append(byte)
                pos += 1
            } else {
                guard let (_, length) = decodeScalar(at: pos) else { throw error("invalid UTF-8 rune", at: start) }
                decoded.append(contentsOf: input[pos..<(pos + length)])
                pos += length
            }
        }
        try emitString(decoded, from: start)
    }

    private mutating func lexRawString() throws(PromQLError) {
        let start = pos
        pos += 1
        let contentStart = pos
        while true {
            guard pos < input.count else { throw error("unterminated raw string", at: start) }
            let byte = input[pos]
            if byte == UInt8(ascii: "`") { break }
            if byte < 0x80 {
                pos += 1
            } else {
                guard let (_, length) = decodeScalar(at: pos) else { throw error("invalid UTF-8 rune", at: start) }
                pos += length
            }
        }
        let content = Array(input[contentStart..<pos])
        pos += 1
        try emitString(content, from: start)
    }

    private mutating func emitString(_ decoded: [UInt8], from start: Int) throws(PromQLError) {
        // Byte escapes (`\xff`, `\377`) can produce bytes that are not UTF-8. Prometheus keeps such bytes;
        // we refuse them, because every later comparison is on valid Unicode text.
        guard let value = String(validating: decoded, as: UTF8.self) else {
            throw error("string escapes produce invalid UTF-8", at: start)
        }
        let raw = String(decoding: input[start..<pos], as: UTF8.self)
        tokens.append(Token(kind: .string, range: SourceRange(start: start, end: pos), text: value, raw: raw))
    }

    /// Decodes one escape; `pos` is at the backslash.
    private mutating func decodeEscape(quote: UInt8, stringStart: Int, into decoded: inout [UInt8]) throws(PromQLError) {
        let escapeStart = pos
        pos += 1
        guard pos < input.count else { throw error("escape sequence not terminated", at: stringStart) }
        let character = input[pos]
        var digits = 0
        var base: UInt32 = 0
        var maxValue: UInt32 = 0
        var isByte = false
        switch character {
        case UInt8(ascii: "a"): decoded.append(0x07); pos += 1; return
        case UInt8(ascii: "b"): decoded.append(0x08); pos += 1; return
        case UInt8(ascii: "f"): decoded.append(0x0C); pos += 1; return
        case UInt8(ascii: "n"): decoded.append(0x0A); pos += 1; return
        case UInt8(ascii: "r"): decoded.append(0x0D); pos += 1; return
        case UInt8(ascii: "t"): decoded.append(0x09); pos += 1; return
        case UInt8(ascii: "v"): decoded.append(0x0B); pos += 1; return
        case UInt8(ascii: "\\"): decoded.append(UInt8(ascii: "\\")); pos += 1; return
        case quote: decoded.append(quote); pos += 1; return
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            digits = 3; base = 8; maxValue = 255; isByte = true
        case UInt8(ascii: "x"):
            pos += 1; digits = 2; base = 16; maxValue = 255; isByte = true
        case UInt8(ascii: "u"):
            pos += 1; digits = 4; base = 16; maxValue = 0x10FFFF
        case UInt8(ascii: "U"):
            pos += 1; digits = 8; base = 16; maxValue = 0x10FFFF
        default:
            let shown = decodeScalar(at: pos).map { scalar in
                "U+\(hex(scalar.scalar.value, width: 4)) \(quotedCharacter(at: pos))"
            } ?? "U+FFFD"
            throw error("unknown escape sequence \(shown)", at: escapeStart)
        }
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard pos < input.count else { throw error("escape sequence not terminated", at: stringStart) }
            let digit = digitValue(input[pos])
            guard digit < base else {
                if input[pos] == quote || input[pos] == UInt8(ascii: "\n") {
                    throw error("escape sequence not terminated", at: escapeStart)
                }
                throw error("illegal character \(quotedCharacter(at: pos)) in escape sequence", at: escapeStart)
            }
            value = value * base + digit
            pos += 1
        }
        if value > maxValue || (0xD800..<0xE000).contains(value) {
            throw error("escape sequence is an invalid Unicode code point", at: escapeStart)
        }
        if isByte {
            decoded.append(UInt8(truncatingIfNeeded: value))
        } else if let scalar = Unicode.Scalar(value) {
            decoded.append(contentsOf: String(scalar).utf8)
        } else {
            throw error("escape sequence is an invalid Unicode code point", at: escapeStart)
        }
    }

    // MARK: - Numbers and durations

    private mutating func lexNumberOrDuration() throws(PromQLError) {
        let start = pos
        if scanNumber() {
            let text = String(decoding: input[start..<pos], as: UTF8.self)
            guard let value = parseNumber(text) else {
                throw error("error parsing number: invalid syntax \(goQuote(text))", at: start)
            }
            tokens.append(Token(kind: .number, range: SourceRange(start: start, end: pos), text: text, number: value))
            return
        }
        // scanNumber stopped before a letter: a duration continues from there.
        if acceptRemainingDuration() {
            let text = String(decoding: input[start..<pos], as: UTF8.self)
            guard let millis = parseDuration(text) else {
                throw error("not a valid duration string: \(goQuote(text))", at: start)
            }
            // Prometheus 3 rejects zero durations written with a unit (`0s`, `[5m:0s]`, `offset 0m`).
            if millis == 0 { throw error("duration must be greater than 0", at: start) }
            tokens.append(Token(kind: .duration, range: SourceRange(start: start, end: pos), text: text, millis: millis))
            return
        }
        let text = String(decoding: input[start..<min(pos, input.count)], as: UTF8.self)
        throw error("bad number or duration syntax: \(goQuote(text))", at: start)
    }

    private mutating func accept(_ set: (UInt8) -> Bool) -> Bool {
        if pos < input.count, set(input[pos]) {
            pos += 1
            return true
        }
        return false
    }

    private func next(is set: (UInt8) -> Bool) -> Bool {
        pos < input.count && set(input[pos])
    }

    /// Scans `[0x][.]digits[.digits][e[+-]digits]` with underscores, as `scanNumber` does.
    /// Returns false (with `pos` advanced) when the text is not a complete number.
    private mutating func scanNumber() -> Bool {
        let initial = pos
        var isHex = false
        if pos + 1 < input.count, input[pos] == UInt8(ascii: "0"), input[pos + 1] | 0x20 == UInt8(ascii: "x") {
            pos += 2
            _ = accept { $0 == UInt8(ascii: "_") }
            isHex = true
        }
        let digit: (UInt8) -> Bool = isHex ? { isHexDigit($0) } : { isDigit($0) }
        let isDot: (UInt8) -> Bool = { $0 == UInt8(ascii: ".") }
        let isExponent: (UInt8) -> Bool = { $0 | 0x20 == UInt8(ascii: "e") }
        let isUnderscore: (UInt8) -> Bool = { $0 == UInt8(ascii: "_") }
        _ = accept(isDot)
        _ = accept(digit)
        var dotConsumed = false
        var exponentConsumed = false
        while next(is: { digit($0) || isDot($0) || isUnderscore($0) || isExponent($0) }) {
            if next(is: isDot), dotConsumed {
                pos += 1
                return false
            }
            if !isHex, next(is: isExponent), exponentConsumed {
                pos += 1
                return false
            }
            if accept(isDot) {
                dotConsumed = true
                if accept({ $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }) { return false }
                if isHex { return false }
                continue
            }
            if !isHex, accept(isExponent) {
                exponentConsumed = true
                _ = accept { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
                if accept({ isDot($0) || isUnderscore($0) || isExponent($0) }) || pos >= input.count { return false }
                continue
            }
            if accept(isUnderscore) {
                if accept({ isDot($0) || isUnderscore($0) || isExponent($0) }) || pos >= input.count { return false }
                continue
            }
            while accept(digit) {}
        }
        if pos == initial { return false }
        if pos < input.count, isAlphaNumeric(input[pos]) { return false }
        return true
    }

    /// Scans the unit part of a duration (`acceptRemainingDuration`): `unit [ms] (digits unit)*`.
    private mutating func acceptRemainingDuration() -> Bool {
        let isUnit: (UInt8) -> Bool = { "smhdwy".utf8.contains($0) }
        guard accept(isUnit) else { return false }
        _ = accept { $0 == UInt8(ascii: "s") }
        while accept(isDigit) {
            while accept(isDigit) {}
            guard accept({ "smhdw".utf8.contains($0) }) else { return false }
            _ = accept { $0 == UInt8(ascii: "s") }
        }
        if pos < input.count, isAlphaNumeric(input[pos]) {
            pos += 1  // the offending character is part of the reported text, as in Prometheus
            return false
        }
        return true
    }
}

// MARK: - Character classes

@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
@inline(__always) func isHexDigit(_ byte: UInt8) -> Bool {
    isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
}
@inline(__always) func isAlpha(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "_") || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
}
@inline(__always) func isAlphaNumeric(_ byte: UInt8) -> Bool { isAlpha(byte) || isDigit(byte) }

func digitValue(_ byte: UInt8) -> UInt32 {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: 16
    }
}

func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

// MARK: - Number and duration values

/// Converts a number token to its value the way Prometheus does: `strconv.ParseInt(s, 0, 64)` first
/// (so `0x1F` is 31 and `017` is octal 15), then `strconv.ParseFloat`. Nil when neither accepts it.
func parseNumber(_ text: String) -> Double? {
    let lower = text.lowercased()
    if lower == "inf" || lower == "+inf" { return .infinity }
    if lower == "-inf" { return -.infinity }
    if lower == "nan" { return .nan }
    let digits = Array(lower.utf8)
    // Integer forms (base prefix, underscores between digits).
    if let value = parseInteger(digits) { return Double(value) }
    if digits.count >= 2, digits[0] == UInt8(ascii: "0"), digits[1] == UInt8(ascii: "x") {
        // Hex literal that overflowed Int64: Go's ParseFloat needs a 'p' exponent for hex, so this fails.
        return nil
    }
    // Floats: underscores must sit between digits (Go syntax).
    var cleaned: [UInt8] = []
    cleaned.reserveCapacity(digits.count)
    for (index, byte) in digits.enumerated() {
        if byte == UInt8(ascii: "_") {
            guard index > 0, index + 1 < digits.count, isDigit(digits[index - 1]), isDigit(digits[index + 1]) else {
                return nil
            }
            continue
        }
        cleaned.append(byte)
    }
    guard !cleaned.isEmpty, cleaned.allSatisfy({ isDigit($0) || ".e+-".utf8.contains($0) }) else { return nil }
    return Double(String(decoding: cleaned, as: UTF8.self))
}

/// Go's `ParseInt(s, 0, 64)` for non-negative literals: `0x…`, leading-zero octal, decimal; `_` allowed
/// only after a base prefix or between digits.
private func parseInteger(_ digits: [UInt8]) -> Int64? {
    guard !digits.isEmpty else { return nil }
    var base: Int64 = 10
    var index = 0
    var sawPrefix = false
    if digits.count >= 2, digits[0] == UInt8(ascii: "0") {
        if digits[1] == UInt8(ascii: "x") {
            base = 16
            index = 2
            sawPrefix = true
        } else {
            base = 8
            index = 1
            sawPrefix = true
        }
    }
    var value: Int64 = 0
    var lastWasUnderscore = false
    var sawDigit = base == 8  // the leading 0 counts as a digit for octal
    while index < digits.count {
        let byte = digits[index]
        if byte == UInt8(ascii: "_") {
            if lastWasUnderscore || (!sawDigit && !sawPrefix) { return nil }
            lastWasUnderscore = true
            index += 1
            continue
        }
        let digit = Int64(digitValue(byte))
        guard digit < base else { return nil }
        let (multiplied, overflow1) = value.multipliedReportingOverflow(by: base)
        let (added, overflow2) = multiplied.addingReportingOverflow(digit)
        if overflow1 || overflow2 { return nil }
        value = added
        sawDigit = true
        lastWasUnderscore = false
        index += 1
    }
    if lastWasUnderscore || !sawDigit { return nil }
    return value
}

/// Prometheus's `model.ParseDuration`: units in the order y w d h m s ms, each at most once.
/// Returns milliseconds, or nil when the text is not a valid duration or overflows.
func parseDuration(_ text: String) -> Int64? {
    if text == "0" { return 0 }
    let units: [(String, Int64)] = [
        ("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
    ]
    let bytes = Array(text.utf8)
    var index = 0
    var nextUnit = 0
    var total: Int64 = 0
    var sawAny = false
    while index < bytes.count {
        var number: Int64 = 0
        let digitsStart = index
        while index < bytes.count, isDigit(bytes[index]) {
            let (multiplied, overflow1) = number.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            number = added
            index += 1
        }
        guard index > digitsStart else { return nil }
        var unitEnd = index
        while unitEnd < bytes.count, !isDigit(bytes[unitEnd]) { unitEnd += 1 }
        let unit = String(decoding: bytes[index..<unitEnd], as: UTF8.self)
        guard let unitIndex = units.firstIndex(where: { $0.0 == unit }), unitIndex >= nextUnit else { return nil }
        nextUnit = unitIndex + 1
        let (product, overflow1) = number.multipliedReportingOverflow(by: units[unitIndex].1)
        let (sum, overflow2) = total.addingReportingOverflow(product)
        if overflow1 || overflow2 { return nil }
        total = sum
        sawAny = true
        index = unitEnd
    }
    guard sawAny else { return nil }
    // time.Duration is int64 nanoseconds: anything larger than that is out of range in Prometheus too.
    guard total <= Int64.max / 1_000_000 else { return nil }
    return total
}
