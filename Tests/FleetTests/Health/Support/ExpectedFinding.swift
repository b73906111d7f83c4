import Fleet

/// What a table row expects: severity and signal of each finding, plus words the reason must hold.
struct ExpectedFinding: Sendable, Hashable, CustomStringConvertible {
    var severity: Severity
    var gpu: GPUIndex?
    var says: [String]
    var action: Action?

    init(_ severity: Severity, gpu: GPUIndex? = 0, says: [String] = [], action: Action? = nil) {
        self.severity = severity
        self.gpu = gpu
        self.says = says
        self.action = action
    }

    var description: String { "\(severity) gpu \(gpu.map(String.init) ?? "-") \(says)" }

    func matches(_ finding: Finding) -> Bool {
        finding.severity == severity && finding.gpu == gpu && says.allSatisfy(finding.reason.contains)
            && (action.map { $0 == finding.action } ?? true)
    }
}

/// `true` when `findings` and `expected` pair up one to one, in order.
func findingsMatch(_ findings: [Finding], _ expected: [ExpectedFinding]) -> Bool {
    findings.count == expected.count && zip(findings, expected).allSatisfy { $1.matches($0) }
}
