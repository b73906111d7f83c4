/// A regular expression in the RE2 syntax Prometheus accepts, matched the way Prometheus matches labels:
/// against the whole value (`^(?s:…)$`), so `.` also matches a newline.
///
/// The enforcer uses it to decide whether a matcher on the tenant label can select the tenant's value,
/// and the parser to find selectors whose matchers all match the empty string. It is a parser to an AST
/// plus a Thompson-NFA simulation: matching time is linear in the input, whatever the pattern, so no
/// pattern can make the server backtrack for ever.
///
/// Constructs RE2 (and so Go and Prometheus) rejects are errors here too: look-around `(?=` `(?!`
/// `(?<=` `(?<!`, atomic groups, back-references `\1`, possessive and doubled quantifiers `a*+` `a**`,
/// repeat counts over 1000. Unicode classes are supported for general categories (`\pL`, `\p{Lu}`,
/// `\PN`); script classes (`\p{Greek}`) are rejected with an error naming them.
public struct RE2Regex: Sendable {
    /// Why a pattern was rejected, worded like Go's `regexp/syntax` errors.
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public let pattern: String
    let program: RegexProgram

    /// Largest compiled program accepted, in instructions. Bounds memory and matching time.
    static let maxProgramSize = 100_000
    /// Deepest group nesting accepted.
    static let maxNesting = 200

    public init(_ pattern: String) throws(SyntaxError) {
        self.pattern = pattern
        var parser = RegexParser(Array(pattern.unicodeScalars))
        let node = try parser.parse()
        program = try RegexCompiler.compile(node)
    }

    /// Whether the whole of `text` matches (anchored at both ends).
    public func matches(_ text: String) -> Bool {
        program.fullMatch(Array(text.unicodeScalars))
    }
}

// MARK: - AST

enum RegexAssertion: Sendable {
    case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary
}

enum ClassItem: Sendable {
    case range(UInt32, UInt32)
    case categories([Unicode.GeneralCategory], negated: Bool)
    case negatedRanges([ClosedRange<UInt32>])
}

struct CharClass: Sendable {
    var items: [ClassItem]
    var negated: Bool
    var fold: Bool

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        var hit = rawContains(scalar.value)
        if !hit && fold {
            for variant in caseVariants(scalar) where rawContains(variant) {
                hit = true
                break
            }
        }
        return hit != negated
    }

    private func rawContains(_ value: UInt32) -> Bool {
        for item in items {
            switch item {
            case .range(let low, let high):
                if value >= low && value <= high { return true }
            case .categories(let categories, let negated):
                guard let scalar = Unicode.Scalar(value) else { continue }
                if categories.contains(scalar.properties.generalCategory) != negated { return true }
            case .negatedRanges(let ranges):
                if !ranges.contains(where: { $0.contains(value) }) { return true }
            }
        }
        return false
    }
}

/// Simple case variants of a scalar (its lower- and upper-case single-scalar mappings).
func caseVariants(_ scalar: Unicode.Scalar) -> [UInt32] {
    if scalar.isASCII {
        let value = scalar.value
        if value >= 0x41 && value <= 0x5A { return [value + 32] }
        if value >= 0x61 && value <= 0x7A { return [value - 32] }
        return []
    }
    var variants: [UInt32] = []
    for mapping in [scalar.properties.lowercaseMapping, scalar.properties.uppercaseMapping,
                    scalar.properties.titlecaseMapping] {
        let scalars = mapping.unicodeScalars
        if scalars.count == 1, let only = scalars.first, only != scalar { variants.append(only.value) }
    }
    return variants
}

indirect enum RegexNode: Sendable {
    case empty
    case literal(Unicode.Scalar, fold: Bool)
    case charClass(CharClass)
    case anyChar(matchesNewline: Bool)
    case assertion(RegexAssertion)
    case concat([RegexNode])
    case alternate([RegexNode])
    /// `max == -1` means unbounded.
    case repetition(RegexNode, min: Int, max: Int)
}

// MARK: - Parser

private struct Flags {
    var foldCase = false
    var dotAll = true  // Prometheus wraps every pattern in (?s:…)
    var multiLine = false
    var ungreedy = false
}

struct RegexParser {
    private let input: [Unicode.Scalar]
    private var pos = 0
    private var nesting = 0

    init(_ input: [Unicode.Scalar]) {
        self.input = input
    }

    private func error(_ message: String, _ fragment: String? = nil) -> RE2Regex.SyntaxError {
        if let fragment { return RE2Regex.SyntaxError(message: "\(message): `\(fragment)`") }
        return RE2Regex.SyntaxError(message: message)
    }

    private func text(_ range: Range<Int>) -> String {
        let clamped = max(0, min(range.lowerBound, input.count))..<max(0, min(range.upperBound, input.count))
        var out = String.UnicodeScalarView()
        out.append(contentsOf: input[clamped])
        return String(out)
    }

    private var atEnd: Bool { pos >= input.count }
    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        pos + offset < input.count ? input[pos + offset] : nil
    }

    mutating func parse() throws(RE2Regex.SyntaxError) -> RegexNode {
        var flags = Flags()
        let node = try parseAlternation(&flags)
        if !atEnd {
            // Only an unbalanced ')' stops the top level early.
            throw error("unexpected )", text(0..<input.count))
        }
        try checkRepeatSizes(node)
        return node
    }

    private mutating func parseAlternation(_ flags: inout Flags) throws(RE2Regex.SyntaxError) -> RegexNode {
        var branches = [try parseConcat(&flags)]
        while peek() == "|" {
            pos += 1
            branches.append(try parseConcat(&flags))
        }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    private mutating func parseConcat(_ flags: inout Flags) throws(RE2Regex.SyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        var lastWasRepeat = false
        var lastRepeatStart = 0
        while let scalar = peek(), scalar != "|", scalar != ")" {
            let opStart = pos
            if let (minimum, maximum) = try parseRepeatOperator() {
                if lastWasRepeat {
                    throw error("invalid nested repetition operator", text(lastRepeatStart..<pos))
                }
                guard let last = items.popLast() else {
                    throw error("missing argument to repetition operator", text(opStart..<pos))
                }
                if peek() == "?" { pos += 1 }  // lazy: irrelevant for a full match
                items.append(.repetition(last, min: minimum, max: maximum))
                lastWasRepeat = true
                lastRepeatStart = opStart
                continue
            }
            lastWasRepeat = false
            if let atom = try parseAtom(&flags) { items.append(atom) }
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    /// Parses `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` at `pos`; nil (and `pos` unchanged) when absent.
    private mutating func parseRepeatOperator() throws(RE2Regex.SyntaxError) -> (Int, Int)? {
        guard let scalar = peek() else { return nil }
        switch scalar {
        case "*": pos += 1; return (0, -1)
        case "+": pos += 1; return (1, -1)
        case "?": pos += 1; return (0, 1)
        case "{":
            let start = pos
            pos += 1
            guard let minimum = parseInt() else { pos = start; return nil }
            var maximum = minimum
            if peek() == "," {
                pos += 1
                if peek() == "}" { maximum = -1 } else {
                    guard let value = parseInt() else { pos = start; return nil }
                    maximum = value
                }
            }
            guard peek() == "}" else { pos = start; return nil }
            pos += 1
            if minimum > 1000 || maximum > 1000 || (maximum >= 0 && maximum < minimum) {
                throw error("invalid repeat count", text(start..<pos))
            }
            return (minimum, maximum)
        default:
            return nil
        }
    }

    private mutating func parseInt() -> Int? {
        let start = pos
        var value = 0
        while let scalar = peek(), scalar.value >= 0x30, scalar.value <= 0x39 {
            if value <= 100_000 { value = value * 10 + Int(scalar.value - 0x30) }
            pos += 1
        }
        guard pos > start else { return nil }
        // Go rejects leading zeros in counts other than "0" itself.
        if pos - start > 1 && input[start] == "0" { return nil }
        return value
    }

    private mutating func parseAtom(_ flags: inout Flags) throws(RE2Regex.SyntaxError) -> RegexNode? {
        guard let scalar = peek() else { return nil }
        switch scalar {
        case "(":
            return try parseGroup(&flags)
        case "[":
            return .charClass(try parseClass(flags))
        case ".":
            pos += 1
            return .anyChar(matchesNewline: flags.dotAll)
        case "^":
            pos += 1
            return .assertion(flags.multiLine ? .beginLine : .beginText)
        case "$":
            pos += 1
            return .assertion(flags.multiLine ? .endLine : .endText)
        case "\\":
            return try parseEscapeAtom(flags)
        default:
            pos += 1
            return .literal(scalar, fold: flags.foldCase)
        }
    }

    private mutating func parseGroup(_ flags: inout Flags) throws(RE2Regex.SyntaxError) -> RegexNode? {
        let start = pos
        pos += 1
        var groupFlags = flags
        if peek() == "?" {
            // (?P<name>…), (?<name>…), (?flags), (?flags:…)
            if peek(1) == "P" && peek(2) == "<" {
                pos += 3
                try parseCaptureName(start)
            } else if peek(1) == "<" && peek(2) != "=" && peek(2) != "!" {
                pos += 2
                try parseCaptureName(start)
            } else {
                pos += 1
                var negate = false
                var sawFlag = false
                var sawNegation = false
                while true {
                    guard let scalar = peek() else { throw error("missing closing )", text(start..<input.count)) }
                    pos += 1
                    switch scalar {
                    case "i": groupFlags.foldCase = !negate; sawFlag = true
                    case "s": groupFlags.dotAll = !negate; sawFlag = true
                    case "m": groupFlags.multiLine = !negate; sawFlag = true
                    case "U": groupFlags.ungreedy = !negate; sawFlag = true
                    case "-":
                        if negate { throw error("invalid or unsupported Perl syntax", text(start..<pos)) }
                        negate = true
                        sawNegation = true
                        sawFlag = false
                    case ")":
                        if sawNegation && !sawFlag {
                            throw error("invalid or unsupported Perl syntax", text(start..<pos))
                        }
                        flags = groupFlags  // (?i) changes the flags for the rest of the enclosing group
                        return nil
                    case ":":
                        if sawNegation && !sawFlag {
                            throw error("invalid or unsupported Perl syntax", text(start..<pos))
                        }
                        return try parseGroupBody(start, flags: groupFlags)
                    default:
                        // (?= (?! (?<= (?<! (?> (?# and friends: not RE2.
                        throw error("invalid or unsupported Perl syntax", text(start..<pos))
                    }
                }
            }
        }
        return try parseGroupBody(start, flags: groupFlags)
    }

    private mutating func parseCaptureName(_ start: Int) throws(RE2Regex.SyntaxError) {
        let nameStart = pos
        while let scalar = peek(), scalar != ">" {
            let isWord = scalar.isASCII && (scalar.properties.isAlphabetic || (scalar.value >= 0x30 && scalar.value <= 0x39)
                || scalar == "_")
            guard isWord else { throw error("invalid named capture", text(start..<pos + 1)) }
            pos += 1
        }
        guard peek() == ">", pos > nameStart else { throw error("invalid named capture", text(start..<pos)) }
        pos += 1
    }

    private mutating func parseGroupBody(_ start: Int, flags: Flags) throws(RE2Regex.SyntaxError) -> RegexNode {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > RE2Regex.maxNesting { throw error("expression nests too deeply") }
        var inner = flags
        let body = try parseAlternation(&inner)
        guard peek() == ")" else { throw error("missing closing )", text(start..<input.count)) }
        pos += 1
        return body
    }

    // MARK: Escapes

    private mutating func parseEscapeAtom(_ flags: Flags) throws(RE2Regex.SyntaxError) -> RegexNode {
        let start = pos
        guard let next = peek(1) else { throw error("trailing backslash at end of expression") }
        switch next {
        case "A": pos += 2; return .assertion(.beginText)
        case "z": pos += 2; return .assertion(.endText)
        case "b": pos += 2; return .assertion(.wordBoundary)
        case "B": pos += 2; return .assertion(.notWordBoundary)
        case "Q":
            pos += 2
            var literal: [RegexNode] = []
            while let scalar = peek() {
                if scalar == "\\" && peek(1) == "E" {
                    pos += 2
                    break
                }
                literal.append(.literal(scalar, fold: flags.foldCase))
                pos += 1
            }
            return literal.isEmpty ? .empty : .concat(literal)
        case "d", "D", "s", "S", "w", "W", "p", "P":
            return .charClass(CharClass(items: [try parseClassEscape()], negated: false, fold: flags.foldCase))
        default:
            let value = try parseCharEscape(start)
            guard let scalar = Unicode.Scalar(value) else { throw error("invalid escape sequence", text(start..<pos)) }
            return .literal(scalar, fold: flags.foldCase)
        }
    }

    /// `\d \D \s \S \w \W \pL \p{Lu} \PL \p{^L}` at `pos` (which is at the backslash).
    private mutating func parseClassEscape() throws(RE2Regex.SyntaxError) -> ClassItem {
        let start = pos
        guard let letter = peek(1) else { throw error("trailing backslash at end of expression") }
        pos += 2
        let digits: [ClosedRange<UInt32>] = [0x30...0x39]
        let space: [ClosedRange<UInt32>] = [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]
        let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
        switch letter {
        case "d": return .negatedRanges(complement(digits))
        case "D": return .negatedRanges(digits)
        case "s": return .negatedRanges(complement(space))
        case "S": return .negatedRanges(space)
        case "w": return .negatedRanges(complement(word))
        case "W": return .negatedRanges(word)
        default: break
        }
        var negated = letter == "P"
        var name = ""
        if peek() == "{" {
            pos += 1
            while let scalar = peek(), scalar != "}" {
                name.unicodeScalars.append(scalar)
                pos += 1
            }
            guard peek() == "}" else { throw error("invalid character class range", text(start..<pos)) }
            pos += 1
            if name.hasPrefix("^") {
                negated.toggle()
                name.removeFirst()
            }
        } else if let scalar = peek() {
            name.unicodeScalars.append(scalar)
            pos += 1
        } else {
            throw error("invalid character class range", text(start..<pos))
        }
        if name == "Any" { return negated ? .range(1, 0) : .negatedRanges([]) }
        guard let categories = generalCategories[name] else {
            throw error("unsupported Unicode class (only general categories such as \\pL are supported)",
                        text(start..<pos))
        }
        return .categories(categories, negated: negated)
    }

    /// The complement of sorted, disjoint ranges within Unicode, as ranges a `negatedRanges` item excludes.
    private func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound + 1
        }
        if next <= 0x10FFFF { result.append(next...0x10FFFF) }
        return result
    }

    /// A single-character escape (`\n`, `\x41`, `\x{263a}`, `\101`, `\.`) at `pos`; returns its value.
    private mutating func parseCharEscape(_ start: Int) throws(RE2Regex.SyntaxError) -> UInt32 {
        guard let letter = peek(1) else { throw error("trailing backslash at end of expression") }
        pos += 2
        switch letter {
        case "a": return 7
        case "f": return 12
        case "t": return 9
        case "n": return 10
        case "r": return 13
        case "v": return 11
        case "1", "2", "3", "4", "5", "6", "7":
            // A lone digit is a back-reference, which RE2 does not support.
            guard let next = peek(), next.value >= 0x30, next.value <= 0x37 else {
                throw error("invalid escape sequence", text(start..<pos))
            }
            fallthrough
        case "0":
            var value = letter.value - 0x30
            for _ in 0..<2 {
                guard let digit = peek(), digit.value >= 0x30, digit.value <= 0x37 else { break }
                value = value * 8 + (digit.value - 0x30)
                pos += 1
            }
            return value
        case "x":
            if peek() == "{" {
                pos += 1
                var value: UInt32 = 0
                var count = 0
                while let scalar = peek(), scalar != "}" {
                    let digit = hexValue(scalar)
                    guard digit < 16 else { throw error("invalid escape sequence", text(start..<pos + 1)) }
                    value = value * 16 + digit
                    count += 1
                    if value > 0x10FFFF { throw error("invalid escape sequence", text(start..<pos + 1)) }
                    pos += 1
                }
                guard peek() == "}", count > 0 else { throw error("invalid escape sequence", text(start..<pos)) }
                pos += 1
                return value
            }
            guard let high = peek(), let low = peek(1), hexValue(high) < 16, hexValue(low) < 16 else {
                throw error("invalid escape sequence", text(start..<min(pos + 2, input.count)))
            }
            pos += 2
            return hexValue(high) * 16 + hexValue(low)
        default:
            if letter.isASCII && !isAlphanumericScalar(letter) { return letter.value }
            throw error("invalid escape sequence", text(start..<pos))
        }
    }

    private func hexValue(_ scalar: Unicode.Scalar) -> UInt32 {
        scalar.isASCII ? digitValue(UInt8(scalar.value)) : 16
    }

    private func isAlphanumericScalar(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
    }

    // MARK: Classes

    private mutating func parseClass(_ flags: Flags) throws(RE2Regex.SyntaxError) -> CharClass {
        let start = pos
        pos += 1
        var negated = false
        if peek() == "^" {
            negated = true
            pos += 1
        }
        var items: [ClassItem] = []
        var first = true
        while true {
            guard let scalar = peek() else { throw error("missing closing ]", text(start..<input.count)) }
            if scalar == "]" && !first { pos += 1; break }
            first = false
            // POSIX [:alpha:]
            if scalar == "[", peek(1) == ":" {
                if let item = try parsePOSIXClass() {
                    items.append(item)
                    continue
                }
            }
            if scalar == "\\", let letter = peek(1), "dDsSwWpP".unicodeScalars.contains(letter) {
                items.append(try parseClassEscape())
                continue
            }
            let low = try parseClassChar(start)
            var high = low
            if peek() == "-", let after = peek(1), after != "]" {
                pos += 1
                high = try parseClassChar(start)
                if high < low { throw error("invalid character class range", text(start..<pos)) }
            }
            items.append(.range(low, high))
        }
        return CharClass(items: items, negated: negated, fold: flags.foldCase)
    }

    private mutating func parseClassChar(_ classStart: Int) throws(RE2Regex.SyntaxError) -> UInt32 {
        guard let scalar = peek() else { throw error("missing closing ]", text(classStart..<input.count)) }
        if scalar == "\\" { return try parseCharEscape(pos) }
        pos += 1
        return scalar.value
    }

    private mutating func parsePOSIXClass() throws(RE2Regex.SyntaxError) -> ClassItem? {
        let start = pos
        var end = pos + 2
        while end + 1 < input.count, !(input[end] == ":" && input[end + 1] == "]") { end += 1 }
        guard end + 1 < input.count else { return nil }
        var name = text((pos + 2)..<end)
        var negated = false
        if name.hasPrefix("^") {
            negated = true
            name.removeFirst()
        }
        guard let ranges = posixClasses[name] else {
            throw error("invalid character class range", text(start..<end + 2))
        }
        pos = end + 2
        return negated ? .negatedRanges(ranges) : .negatedRanges(complement(ranges))
    }

    // MARK: Validation

    /// Go's `repeatIsValid(re, 1000)`: nested repetition counts multiply and may not exceed 1000.
    private func checkRepeatSizes(_ node: RegexNode) throws(RE2Regex.SyntaxError) {
        if !repeatIsValid(node, budget: 1000) { throw error("invalid repeat count") }
    }

    private func repeatIsValid(_ node: RegexNode, budget: Int) -> Bool {
        switch node {
        case .empty, .literal, .charClass, .anyChar, .assertion:
            return true
        case .concat(let items), .alternate(let items):
            return items.allSatisfy { repeatIsValid($0, budget: budget) }
        case .repetition(let inner, let minimum, let maximum):
            var count = maximum
            if count == -1 { count = minimum }
            if count <= 0 { return repeatIsValid(inner, budget: budget) }
            if count > budget { return false }
            return repeatIsValid(inner, budget: budget / count)
        }
    }
}

private let posixClasses: [String: [ClosedRange<UInt32>]] = [
    "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A],
    "alpha": [0x41...0x5A, 0x61...0x7A],
    "ascii": [0x00...0x7F],
    "blank": [0x09...0x09, 0x20...0x20],
    "cntrl": [0x00...0x1F, 0x7F...0x7F],
    "digit": [0x30...0x39],
    "graph": [0x21...0x7E],
    "lower": [0x61...0x7A],
    "print": [0x20...0x7E],
    "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E],
    "space": [0x09...0x0D, 0x20...0x20],
    "upper": [0x41...0x5A],
    "word": [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A],
    "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66],
]

private let generalCategories: [String: [Unicode.GeneralCategory]] = {
    let letters: [Unicode.GeneralCategory] = [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter,
                                              .otherLetter]
    let marks: [Unicode.GeneralCategory] = [.nonspacingMark, .spacingMark, .enclosingMark]
    let numbers: [Unicode.GeneralCategory] = [.decimalNumber, .letterNumber, .otherNumber]
    let punctuation: [Unicode.GeneralCategory] = [.connectorPunctuation, .dashPunctuation, .openPunctuation,
                                                  .closePunctuation, .initialPunctuation, .finalPunctuation,
                                                  .otherPunctuation]
    let symbols: [Unicode.GeneralCategory] = [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]
    let separators: [Unicode.GeneralCategory] = [.spaceSeparator, .lineSeparator, .paragraphSeparator]
    let others: [Unicode.GeneralCategory] = [.control, .format, .surrogate, .privateUse]
    return [
        "L": letters, "Lu": [.uppercaseLetter], "Ll": [.lowercaseLetter], "Lt": [.titlecaseLetter],
        "Lm": [.modifierLetter], "Lo": [.otherLetter],
        "M": marks, "Mn": [.nonspacingMark], "Mc": [.spacingMark], "Me": [.enclosingMark],
        "N": numbers, "Nd": [.decimalNumber], "Nl": [.letterNumber], "No": [.otherNumber],
        "P": punctuation, "Pc": [.connectorPunctuation], "Pd": [.dashPunctuation], "Ps": [.openPunctuation],
        "Pe": [.closePunctuation], "Pi": [.initialPunctuation], "Pf": [.finalPunctuation], "Po": [.otherPunctuation],
        "S": symbols, "Sm": [.mathSymbol], "Sc": [.currencySymbol], "Sk": [.modifierSymbol], "So": [.otherSymbol],
        "Z": separators, "Zs": [.spaceSeparator], "Zl": [.lineSeparator], "Zp": [.paragraphSeparator],
        "C": others, "Cc": [.control], "Cf": [.format], "Cs": [.surrogate], "Co": [.privateUse],
    ]
}()
