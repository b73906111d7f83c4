import Exposition

/// Line-by-line rewrites of Prometheus text exposition: the pure functions behind each
/// `ExporterFault`.
///
/// They work on bytes as rendered, so the renderers stay untouched and byte-exact, and each
/// rewrite can be tested on a three-line string. A sample belongs to family `F` when its name is
/// `F`, or `F_bucket` / `F_sum` / `F_count` after a `# TYPE F histogram|summary` line, which is
/// how the text format groups a histogram's series.
public enum ExpositionRewrite {
    /// Removes every `# HELP`, `# TYPE` and sample line of `families`.
    public static func dropping(families: Set<String>, from text: [UInt8]) -> [UInt8] {
        guard !families.isEmpty else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var grouped: Set<String> = []
        forEachLine(text) { line in
            switch classify(line, grouped: &grouped) {
            case .family(let family, _):
                if families.contains(family) { return }
            case .other:
                break
            }
            out.append(contentsOf: line)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// Adds `name="value"` (value escaped) to every sample line, first in its label set; comment
    /// and blank lines are copied.
    ///
    /// The label goes right after `{`, so no label value (which may hold `}` or `,`) has to be
    /// parsed to find the end of the set. Callers make sure the lines do not carry `name`
    /// already: a duplicate label makes Prometheus reject the whole scrape.
    public static func addingLabel(_ name: String, _ value: String, to text: [UInt8]) -> [UInt8] {
        let pair = Array("\(name)=\"\(Label.escape(value))\"".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.count + (pair.count + 1) * 64)
        var grouped: Set<String> = []
        forEachLine(text) { line in
            if case .family(_, let name) = classify(line, grouped: &grouped), line.first != UInt8(ascii: "#") {
                let split = name.upperBound
                out.append(contentsOf: line[..<split])
                if split < line.endIndex, line[split] == UInt8(ascii: "{") {
                    out.append(UInt8(ascii: "{"))
                    out.append(contentsOf: pair)
                    let rest = line[(split + 1)...]
                    if rest.first != UInt8(ascii: "}") { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: rest)
                } else {
                    out.append(UInt8(ascii: "{"))
                    out.append(contentsOf: pair)
                    out.append(UInt8(ascii: "}"))
                    out.append(contentsOf: line[split...])
                }
            } else {
                out.append(contentsOf: line)
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// Renames families (`old → new`): their `# HELP` / `# TYPE` lines and every sample, a
    /// histogram's `_bucket`, `_sum` and `_count` included. Help texts are kept.
    public static func renaming(_ renames: [String: String], in text: [UInt8]) -> [UInt8] {
        guard !renames.isEmpty else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.count + 256)
        var grouped: Set<String> = []
        forEachLine(text) { line in
            if case .family(let family, let name) = classify(line, grouped: &grouped), let new = renames[family] {
                // The name as written is the family plus, for a histogram sample, its suffix.
                out.append(contentsOf: line[..<name.lowerBound])
                out.append(contentsOf: Array(new.utf8))
                out.append(contentsOf: line[(name.lowerBound + family.utf8.count)...])
                out.append(UInt8(ascii: "\n"))
                return
            }
            out.append(contentsOf: line)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    // MARK: - Lines

    /// What one line is, and which family it belongs to.
    enum Line: Equatable {
        /// `# HELP name …`, `# TYPE name …` or a sample of `family`; `name` is where the
        /// metric name stands in the line (indices of the line's slice).
        case family(String, name: Range<Int>)
        /// Blank, or a comment that is neither HELP nor TYPE.
        case other
    }

    /// Classifies `line`, recording in `grouped` the families a `# TYPE` line declares as
    /// histogram or summary (whose `_bucket`/`_sum`/`_count` samples then belong to them).
    static func classify(_ line: ArraySlice<UInt8>, grouped: inout Set<String>) -> Line {
        guard let first = line.first else { return .other }
        if first == UInt8(ascii: "#") {
            let tokens = line.split(separator: UInt8(ascii: " "), maxSplits: 3, omittingEmptySubsequences: true)
            guard tokens.count >= 3, tokens[0].elementsEqual("#".utf8) else { return .other }
            let isType = tokens[1].elementsEqual("TYPE".utf8)
            guard isType || tokens[1].elementsEqual("HELP".utf8) else { return .other }
            let family = String(decoding: tokens[2], as: UTF8.self)
            if isType, tokens.count == 4 {
                let type = tokens[3].prefix { $0 != UInt8(ascii: " ") }
                if type.elementsEqual("histogram".utf8) || type.elementsEqual("summary".utf8) { grouped.insert(family) }
            }
            return .family(family, name: tokens[2].startIndex..<tokens[2].endIndex)
        }
        let nameEnd = line.firstIndex { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } ?? line.endIndex
        guard nameEnd > line.startIndex else { return .other }
        let name = String(decoding: line[..<nameEnd], as: UTF8.self)
        if !grouped.isEmpty {
            for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
                let base = String(name.dropLast(suffix.count))
                if grouped.contains(base) { return .family(base, name: line.startIndex..<nameEnd) }
            }
        }
        return .family(name, name: line.startIndex..<nameEnd)
    }

    /// Calls `body` with each line, without its `\n` (a missing final newline is tolerated; the
    /// rewritten text always ends with one, as the format requires).
    static func forEachLine(_ text: [UInt8], _ body: (ArraySlice<UInt8>) -> Void) {
        var start = text.startIndex
        while start < text.endIndex {
            let end = text[start...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
            body(text[start..<end])
            start = end + 1
        }
    }
}
