/// Parser for the Prometheus text exposition format (version 0.0.4).
///
/// One parser reads the committed exporter samples and the simulator's output, so a test that
/// passes on both proves the simulator speaks the same dialect as the real exporters. It accepts
/// what Prometheus's own text parser accepts: `# HELP` / `# TYPE` headers, other comments, label
/// escapes `\\`, `\"` and `\n`, values `NaN`, `+Inf`, `-Inf`, optional millisecond timestamps, and
/// a trailing comma inside braces. It rejects what Prometheus rejects (a second `TYPE` or `HELP`
/// line for one family, `TYPE` after the family's samples, duplicate label names, bad escapes)
/// with the line number. Semantic checks that do not stop a scrape, such as an incomplete
/// histogram, are reported by `MetricFamily.histogramProblems()` instead of failing the parse.
public enum ExpositionParser {
    /// Parses `text` into metric families in order of first appearance.
    public static func parse(_ text: String) throws(ExpositionError) -> MetricSet {
        var state = State(bytes: Array(text.utf8))
        try state.run()
        return MetricSet(families: state.families)
    }

    /// Parses a sample value or an `le` bound the way Prometheus does: a decimal or exponent float,
    /// or `NaN` / `Inf` / `+Inf` / `-Inf` in any letter case. Returns `nil` for anything else.
    public static func parseFloat(_ text: Substring) -> Double? {
        switch text.lowercased() {
        case "nan": return .nan
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        default: break
        }
        guard let first = text.utf8.first,
              first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        else { return nil }
        return Double(text)
    }

    private struct State {
        let bytes: [UInt8]
        var families: [MetricFamily] = []
        var indexByName: [String: Int] = [:]
        var typed: Set<String> = []
        var lineNumber = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        mutating func run() throws(ExpositionError) {
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                lineNumber += 1
                var lineEnd = end
                if lineEnd > start, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                try parseLine(start, lineEnd)
                start = end + 1
            }
        }

        func fail(_ message: String) -> ExpositionError {
            ExpositionError(line: lineNumber, message: message)
        }

        func string(_ from: Int, _ to: Int) -> String {
            String(decoding: bytes[from..<to], as: UTF8.self)
        }

        static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        static func isNameStart(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
        }
        static func isNameByte(_ byte: UInt8) -> Bool {
            isNameStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }

        func skipBlanks(_ index: inout Int, _ end: Int) {
            while index < end, Self.isBlank(bytes[index]) { index += 1 }
        }

        /// Reads a metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`) at `index`.
        func readName(_ index: inout Int, _ end: Int, labelName: Bool = false) throws(ExpositionError) -> String {
            let start = index
            guard index < end, Self.isNameStart(bytes[index]), !(labelName && bytes[index] == UInt8(ascii: ":")) else {
                throw fail(labelName ? "expected a label name" : "expected a metric name")
            }
            index += 1
            while index < end, Self.isNameByte(bytes[index]), !(labelName && bytes[index] == UInt8(ascii: ":")) { index += 1 }
            return string(start, index)
        }

        mutating func parseLine(_ start: Int, _ end: Int) throws(ExpositionError) {
            var index = start
            skipBlanks(&index, end)
            guard index < end else { return }
            if bytes[index] == UInt8(ascii: "#") {
                try parseComment(index + 1, end)
            } else {
                try parseSample(index, end)
            }
        }

        mutating func parseComment(_ start: Int, _ end: Int) throws(ExpositionError) {
            var index = start
            skipBlanks(&index, end)
            let wordStart = index
            while index < end, !Self.isBlank(bytes[index]) { index += 1 }
            let word = string(wordStart, index)
            guard word == "HELP" || word == "TYPE" else { return }  // an ordinary comment
            skipBlanks(&index, end)
            let name = try readName(&index, end)
            if index < end, !Self.isBlank(bytes[index]) { throw fail("invalid metric name in \(word) line") }
            if word == "HELP" {
                if index < end { index += 1 }  // the single separating blank
                let help = try unescapeHelp(index, end)
                if let existing = indexByName[name] {
                    guard families[existing].help == nil else { throw fail("second HELP line for metric name \"\(name)\"") }
                    families[existing].help = help
                } else {
                    addFamily(MetricFamily(name: name, help: help))
                }
            } else {
                skipBlanks(&index, end)
                var typeEnd = end
                while typeEnd > index, Self.isBlank(bytes[typeEnd - 1]) { typeEnd -= 1 }
                let typeWord = string(index, typeEnd)
                guard let type = MetricType(rawValue: typeWord) else {
                    throw fail("unknown metric type \"\(typeWord)\"")
                }
                guard !typed.contains(name) else { throw fail("second TYPE line for metric name \"\(name)\"") }
                typed.insert(name)
                if let existing = indexByName[name] {
                    guard families[existing].samples.isEmpty else {
                        throw fail("TYPE line for \"\(name)\" after its samples")
                    }
                    families[existing].type = type
                } else {
                    addFamily(MetricFamily(name: name, type: type))
                }
            }
        }

        mutating func addFamily(_ family: MetricFamily) {
            indexByName[family.name] = families.count
            families.append(family)
        }

        func unescapeHelp(_ start: Int, _ end: Int) throws(ExpositionError) -> String {
            guard bytes[start..<end].contains(UInt8(ascii: "\\")) else { return string(start, end) }
            var out: [UInt8] = []
            out.reserveCapacity(end - start)
            var index = start
            while index < end {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\"), index + 1 < end {
                    switch bytes[index + 1] {
                    case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                    case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                    default: out.append(byte); out.append(bytes[index + 1])  // Prometheus keeps unknown escapes in HELP
                    }
                    index += 2
                } else {
                    out.append(byte)
                    index += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func parseSample(_ start: Int, _ end: Int) throws(ExpositionError) {
            var index = start
            let name = try readName(&index, end)
            let afterName = index
            skipBlanks(&index, end)
            var labels: [Label] = []
            var separated = index > afterName
            if index < end, bytes[index] == UInt8(ascii: "{") {
                index += 1
                labels = try parseLabels(&index, end)
                let afterLabels = index
                skipBlanks(&index, end)
                separated = index > afterLabels
            }
            guard index < end else { throw fail("missing value for \"\(name)\"") }
            guard separated else { throw fail("unexpected character after metric name or labels") }
            let valueStart = index
            while index < end, !Self.isBlank(bytes[index]) { index += 1 }
            let valueText = string(valueStart, index)
            guard let value = ExpositionParser.parseFloat(Substring(valueText)) else {
                throw fail("invalid value \"\(valueText)\" for \"\(name)\"")
            }
            skipBlanks(&index, end)
            var timestamp: Int64?
            if index < end {
                let stampStart = index
                while index < end, !Self.isBlank(bytes[index]) { index += 1 }
                let stampText = string(stampStart, index)
                guard let stamp = Int64(stampText) else { throw fail("invalid timestamp \"\(stampText)\"") }
                timestamp = stamp
                skipBlanks(&index, end)
                guard index == end else { throw fail("unexpected text after timestamp") }
            }
            let sample = Sample(name: name, labels: labels, value: value, timestampMilliseconds: timestamp, line: lineNumber)
            families[familyIndex(for: name)].samples.append(sample)
        }

        /// Finds the family a sample name belongs to, creating an untyped one when none claims it.
        mutating func familyIndex(for sampleName: String) -> Int {
            if let last = families.indices.last, families[last].owns(sampleName: sampleName) { return last }
            if let exact = indexByName[sampleName], families[exact].owns(sampleName: sampleName) { return exact }
            for suffix in ["_bucket", "_sum", "_count"] where sampleName.hasSuffix(suffix) {
                let base = String(sampleName.dropLast(suffix.count))
                if let index = indexByName[base], families[index].owns(sampleName: sampleName) { return index }
            }
            if let exact = indexByName[sampleName] { return exact }
            addFamily(MetricFamily(name: sampleName))
            return families.count - 1
        }

        func parseLabels(_ index: inout Int, _ end: Int) throws(ExpositionError) -> [Label] {
            var labels: [Label] = []
            while true {
                skipBlanks(&index, end)
                guard index < end else { throw fail("unterminated label set") }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return labels
                }
                let name = try readName(&index, end, labelName: true)
                skipBlanks(&index, end)
                guard index < end, bytes[index] == UInt8(ascii: "=") else { throw fail("expected '=' after label name \"\(name)\"") }
                index += 1
                skipBlanks(&index, end)
                guard index < end, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected '\"' to open the value of label \"\(name)\"") }
                index += 1
                let value = try readLabelValue(&index, end)
                if labels.contains(where: { $0.name == name }) { throw fail("duplicate label name \"\(name)\"") }
                labels.append(Label(name, value))
                skipBlanks(&index, end)
                guard index < end else { throw fail("unterminated label set") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] != UInt8(ascii: "}") {
                    throw fail("expected ',' or '}' after label \"\(name)\"")
                }
            }
        }

        func readLabelValue(_ index: inout Int, _ end: Int) throws(ExpositionError) -> String {
            let start = index
            var escaped = false
            while index < end {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let raw = start..<index
                    index += 1
                    return escaped ? try unescapeLabel(raw) : string(raw.lowerBound, raw.upperBound)
                }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    index += 1
                }
                index += 1
            }
            throw fail("unterminated label value")
        }

        func unescapeLabel(_ range: Range<Int>) throws(ExpositionError) -> String {
            var out: [UInt8] = []
            out.reserveCapacity(range.count)
            var index = range.lowerBound
            while index < range.upperBound {
                let byte = bytes[index]
                guard byte == UInt8(ascii: "\\") else {
                    out.append(byte)
                    index += 1
                    continue
                }
                guard index + 1 < range.upperBound else { throw fail("invalid escape sequence at end of label value") }
                switch bytes[index + 1] {
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                default: throw fail("invalid escape sequence \"\\\(Character(UnicodeScalar(bytes[index + 1])))\" in label value")
                }
                index += 2
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
