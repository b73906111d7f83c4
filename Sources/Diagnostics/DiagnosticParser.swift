/// Turns a run's output into a `DiagnosticReport`. Pure and total: any input gives a report, and
/// output nothing recognises falls back to the exit status, with the raw text kept beside it.
public enum DiagnosticParser {
    /// - Parameters:
    ///   - output: stdout and stderr as the agent streamed them (may be cut by a timeout).
    ///   - exitStatus: the tool's exit status; negative when it never exited (killed, lost).
    ///   - gpuClass: the node's GPU class id, for NCCL's expected bandwidth.
    public static func parse(
        plan: DiagnosticPlan, output: String, exitStatus: Int32, gpuClass: String?, interconnect: Interconnect?
    ) -> DiagnosticReport {
        switch plan.kind {
        case .dcgm:
            if let report = DCGMJSONParser.parse(output, exitStatus: exitStatus) { return report }
            if let report = DCGMTextParser.parse(output, exitStatus: exitStatus) { return report }
        case .nccl:
            if let report = NCCLParser.parse(output, exitStatus: exitStatus, gpuClass: gpuClass, interconnect: interconnect) {
                return report
            }
        }
        return unparsed(plan: plan, output: output, exitStatus: exitStatus)
    }

    static func unparsed(plan: DiagnosticPlan, output: String, exitStatus: Int32) -> DiagnosticReport {
        let lastLine = output.split(whereSeparator: \.isNewline).last.map { String($0).trimmed } ?? ""
        let passed = exitStatus == 0
        let summary: String
        if passed {
            summary = "\(plan.title) exited 0; its output was not in a format AI Factory reads, see the raw output"
        } else {
            let why = lastLine.isEmpty ? "no output" : "last line: \(lastLine.prefix(200))"
            summary = "\(plan.title) " + (exitStatus < 0 ? "did not exit" : "exited \(exitStatus)") + " (\(why))"
        }
        return DiagnosticReport(
            outcome: passed ? .passed : .failed, summary: summary, format: .unparsed,
            action: passed ? .none : RecoveryCodes.action(forMessage: output), tests: [])
    }

    /// "GPU Memory failed on GPU 0–7 (Fix the host configuration)"-style summary for DCGM reports.
    static func dcgmSummary(tests: [DiagnosticTest], exitStatus: Int32) -> (DiagnosticReport.Outcome, String, RecoveryAction) {
        let failed = tests.filter { $0.status == .fail }
        let warned = tests.filter { $0.status == .warn }
        let skipped = tests.filter { $0.status == .skip }.count
        let action = tests.filter { $0.status >= .warn }.map(\.action).max() ?? .none
        if failed.isEmpty, exitStatus == 0 || exitStatus < 0 && !tests.isEmpty {
            var summary = "\(tests.count - skipped) of \(tests.count) tests passed"
            if skipped > 0 { summary += ", \(skipped) skipped" }
            if !warned.isEmpty { summary += "; warnings: " + warned.map(\.name).joined(separator: ", ") }
            return (.passed, summary, warned.isEmpty ? .none : action)
        }
        if failed.isEmpty {
            return (.failed, "every test passed but dcgmi exited \(exitStatus); see the raw output", .rerun)
        }
        let parts = failed.map { test -> String in
            let gpus = test.gpus.filter { $0.status == .fail }.map(\.gpu)
            return gpus.isEmpty ? test.name : "\(test.name) on GPU \(gpuList(gpus))"
        }
        return (.failed, "failed: " + parts.joined(separator: "; ") + " — \(action.label)", max(action, .rerun))
    }

    /// "0–7" for a contiguous run, "0, 2, 5" otherwise.
    static func gpuList(_ gpus: [Int]) -> String {
        let sorted = Array(Set(gpus)).sorted()
        guard let first = sorted.first, let last = sorted.last else { return "" }
        if sorted.count > 2, last - first == sorted.count - 1 { return "\(first)–\(last)" }
        return sorted.map(String.init).joined(separator: ", ")
    }
}

extension String {
    var trimmed: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
