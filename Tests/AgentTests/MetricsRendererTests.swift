import Agent
import Foundation
import TestSupport
import Testing

/// `promtool check metrics` on the agent's output, beside the same check on a real dcgm-exporter
/// scrape: the only lint findings allowed are the ones dcgm-exporter's own names produce.
@Suite("MetricsRenderer")
struct MetricsRendererTests {
    /// promtool's lint messages that dcgm-exporter's names and labels trigger by design (counters
    /// without `_total`, `modelName`/`UUID`/`Hostname` labels); compatibility means keeping them.
    static let exporterLint = [
        #"counter metrics should have "_total" suffix"#,
        "label names should be written in 'snake_case' not 'camelCase'",
        "metric name should not include type 'counter'",
    ]

    @Test("promtool check metrics accepts the agent's /metrics (only dcgm-exporter's own naming lint)")
    func promtoolAccepts() async throws {
        guard let promtool = Promtool.find() else {
            if Promtool.isCI { Issue.record("promtool is not installed; CI=true requires it (run scripts/setup.sh)") }
            return
        }
        let standIn = try await StandIn.build(StandInLibrary(gpus: 2, partial: true))
        defer { standIn.remove() }
        let text = try await withAgent(AgentConfiguration(nvmlLibraryPath: standIn.path)) { url, collector in
            try standIn.injectXID(gpu: 1, xid: 48)
            _ = try await eventually { collector.store.snapshot.gpus[1].lastXID == 48 }
            return try await fetch(url + "/metrics").body
        }
        let (status, output) = try await Promtool.checkMetrics(promtool, text: text, scratch: standIn.directory)
        // 0: clean; 3: lint findings only; 1: the text does not parse.
        #expect(status == 0 || status == 3, "\(output)")
        let findings = output.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        for line in findings {
            #expect(Self.exporterLint.contains { line.hasSuffix($0) }, "unexpected promtool finding: \(line)")
            #expect(!line.hasPrefix("aifactory_"), "the agent's own series must lint clean: \(line)")
        }
        #expect(text.contains(#"err_code="48""#))
        #expect(text.contains(MetricsRenderer.notCollectedName))
    }
}

enum Promtool {
    static var isCI: Bool {
        let value = ProcessInfo.processInfo.environment["CI"]?.lowercased()
        return value == "true" || value == "1"
    }

    static func find() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"] {
            let candidate = directory + "/promtool"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `promtool check metrics` with `text` on stdin, awaited through its termination
    /// handler (no cooperative-pool thread waits); its exit status and combined output.
    static func checkMetrics(_ promtool: String, text: String, scratch: String) async throws -> (Int32, String) {
        let input = scratch + "/metrics.prom", output = scratch + "/promtool.out"
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let stdin = try FileHandle(forReadingFrom: URL(fileURLWithPath: input))
        let stdout = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        defer {
            try? stdin.close()
            try? stdout.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        let status = await ProcessExit.wait(process) ?? -1
        return (status, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }
}
