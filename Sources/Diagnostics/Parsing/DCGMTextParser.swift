/// `dcgmi diag` without `-j`: the 78-column table, DCGM 3.x and 4.x layouts.
///
/// ```text
/// |-----  Deployment  --------+------------------------------------------------|
/// | Persistence Mode          | Pass                                           |
/// | Info                      | Persistence mode for GPU 0 is disabled. Enabl  |
/// |                           | e persistence mode by running "nvidia-smi -i   |
/// ```
/// - A category separator names the category between dashes.
/// - A row with a name starts a test; `Warning` / `Info` rows attach a message to the test above.
/// - A row with an empty name continues the cell above. DCGM hard-wraps messages at 45 characters,
///   mid-word, so continuation cells are joined without a separator (a leading space is content).
/// - DCGM 4.x lists `GPUn: Pass` lines under each test; 3.x says `Pass - All` / `Fail - All` and
///   names the GPU at the start of each warning ("GPU 3 Error using CUDA API…").
enum DCGMTextParser {
    /// Width of the message column's content in both layouts: DCGM pads to 48 with one space in front.
    static let wrapWidth = 45

    private struct Row {
        var label: String
        var cell: String
    }

    private enum Pending {
        case none
        case test(index: Int)
        case message(test: Int, kind: String, text: String)

        var testIndex: Int? {
            switch self {
            case .none: nil
            case .test(let index): index
            case .message(let index, _, _): index
            }
        }
    }

    static func parse(_ output: String, exitStatus: Int32) -> DiagnosticReport? {
        var metadata: [String: String] = [:]
        var tests: [DiagnosticTest] = []
        var category: String?
        var pending = Pending.none
        var inMetadata = false
        var sawTable = false

        func flush() {
            guard case let .message(index, kind, text) = pending else { return }
            attach(message: text.trimmed, kind: kind, to: &tests[index])
            pending = .test(index: index)
        }

        for rawLine in output.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = String(rawLine)
            if let name = separatorCategory(line) {
                flush()
                sawTable = true
                category = name
                inMetadata = name.lowercased() == "metadata"
                pending = .none
                continue
            }
            guard let row = row(line) else { continue }
            sawTable = true
            if row.label == "Diagnostic", row.cell.trimmed == "Result" { continue }
            if inMetadata {
                if !row.label.isEmpty { metadata[metadataKey(row.label)] = row.cell.trimmed }
                continue
            }
            if row.label.isEmpty {
                let content = unwrapped(row.cell)
                if let (gpu, status) = gpuLine(content.trimmed), let index = pending.testIndex {
                    flush()
                    var result = tests[index].gpus.first { $0.gpu == gpu } ?? GPUResult(gpu: gpu, status: status)
                    result.status = status
                    tests[index].gpus.removeAll { $0.gpu == gpu }
                    tests[index].gpus.append(result)
                } else if case .message(let index, let kind, let text) = pending {
                    pending = .message(test: index, kind: kind, text: text + content)
                }
                continue
            }
            flush()
            let label = row.label
            if ["warning", "info", "error"].contains(label.lowercased()), let index = pending.testIndex {
                pending = .message(test: index, kind: label.lowercased(), text: unwrapped(row.cell))
                continue
            }
            let cell = row.cell.trimmed
            let status = DiagnosticStatus(dcgm: cell) ?? .warn
            var test = DiagnosticTest(name: label, category: category, status: status)
            if DiagnosticStatus(dcgm: cell) == nil { test.messages.append(cell) }
            for gpu in listedGPUs(cell) { test.gpus.append(GPUResult(gpu: gpu, status: status)) }
            tests.append(test)
            pending = .test(index: tests.count - 1)
        }
        flush()
        guard sawTable, !tests.isEmpty else { return nil }
        for index in tests.indices { finish(&tests[index]) }
        var meta: [String: String] = [:]
        if let version = metadata["dcgmVersion"] { meta["dcgmVersion"] = version }
        if let driver = metadata["driverVersion"] { meta["driverVersion"] = driver }
        if let devices = metadata["deviceIDs"] { meta["deviceIDs"] = devices }
        let (outcome, summary, action) = DiagnosticParser.dcgmSummary(tests: tests, exitStatus: exitStatus)
        return DiagnosticReport(outcome: outcome, summary: summary, format: .dcgmText, action: action, tests: tests, metadata: meta)
    }

    /// A warning naming a GPU ("GPU 3 Error using…") becomes that GPU's result; others stay on the test.
    private static func attach(message: String, kind: String, to test: inout DiagnosticTest) {
        guard !message.isEmpty else { return }
        let action = RecoveryCodes.action(forMessage: message)
        if kind != "info", let gpu = leadingGPU(message) {
            let status: DiagnosticStatus = test.status == .fail ? .fail : .warn
            var result = test.gpus.first { $0.gpu == gpu } ?? GPUResult(gpu: gpu, status: status)
            result.status = max(result.status, status)
            result.messages.append(message)
            result.action = max(result.action, action)
            test.gpus.removeAll { $0.gpu == gpu }
            test.gpus.append(result)
        } else {
            test.messages.append(message)
        }
        if kind != "info" { test.action = max(test.action, action) }
    }

    private static func finish(_ test: inout DiagnosticTest) {
        test.gpus.sort { $0.gpu < $1.gpu }
        if test.status >= .warn {
            let worst = ([test.action] + test.gpus.map(\.action)).max() ?? .none
            test.action = worst == .none ? .rerun : worst
        } else {
            test.action = .none
        }
    }

    /// `|-----  Metadata  ---…|` or `+-----  Stress  ---…+` → the category name.
    private static func separatorCategory(_ line: String) -> String? {
        let text = line.trimmed
        guard let first = text.first, first == "|" || first == "+", text.dropFirst().hasPrefix("-") else { return nil }
        let name = text.filter { !"-+|=".contains($0) }.trimmed
        return name.isEmpty ? nil : name
    }

    private static func row(_ line: String) -> Row? {
        let text = line.trimmed
        guard text.hasPrefix("|"), text.hasSuffix("|"), text.count > 2 else { return nil }
        let inner = text.dropFirst().dropLast()
        guard let bar = inner.firstIndex(of: "|") else { return nil }
        return Row(label: String(inner[..<bar]).trimmed, cell: String(inner[inner.index(after: bar)...]))
    }

    /// The cell's content as DCGM wrote it: drop the one padding space in front, keep at most the
    /// wrap width (the rest is padding), keep a leading space that belongs to the text.
    private static func unwrapped(_ cell: String) -> String {
        var text = Substring(cell)
        if text.first == " " { text.removeFirst() }
        return String(text.prefix(wrapWidth))
    }

    private static func metadataKey(_ label: String) -> String {
        switch label.lowercased() {
        case "dcgm version": "dcgmVersion"
        case "driver version detected": "driverVersion"
        case "gpu device ids detected": "deviceIDs"
        default: label
        }
    }

    /// DCGM 4.x's `GPU3: Fail` line.
    private static func gpuLine(_ text: String) -> (Int, DiagnosticStatus)? {
        guard text.hasPrefix("GPU"), let colon = text.firstIndex(of: ":") else { return nil }
        guard let gpu = Int(String(text[text.index(text.startIndex, offsetBy: 3)..<colon]).trimmed) else { return nil }
        guard let status = DiagnosticStatus(dcgm: String(text[text.index(after: colon)...]).trimmed) else { return nil }
        return (gpu, status)
    }

    /// "GPU 3 Error…" or "GPU3 …" → 3.
    private static func leadingGPU(_ message: String) -> Int? {
        guard message.hasPrefix("GPU") else { return nil }
        let digits = message.dropFirst(3).drop { $0 == " " }.prefix { $0.isNumber }
        return Int(digits)
    }

    /// `Fail - GPU: 0, 3` → [0, 3]; `Fail - All` and plain `Fail` name none.
    private static func listedGPUs(_ cell: String) -> [Int] {
        guard let dash = cell.firstIndex(of: "-") else { return [] }
        let rest = cell[cell.index(after: dash)...]
        guard rest.contains("GPU") else { return [] }
        return rest.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    }
}
