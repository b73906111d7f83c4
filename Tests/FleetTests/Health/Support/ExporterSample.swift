import Fleet
import Foundation

/// The real dcgm-exporter scrape in `Tests/Fixtures/dcgm-exporter-sample.prom` (one RTX 4000 Ada,
/// default CSV; provenance in `Tests/Fixtures/README.md`), read with a tiny hand parser: FleetTests
/// depends on Fleet only, and the sample is plain `name{labels} value` lines.
enum ExporterSample {
    static let testsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // Health
        .deletingLastPathComponent()  // FleetTests
        .deletingLastPathComponent()  // Tests

    /// Series name → value, per `gpu` label, from the fixture.
    static let series: [GPUIndex: [String: Double]] = {
        let url = testsDirectory.appendingPathComponent("Fixtures/dcgm-exporter-sample.prom")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        return parse(text)
    }()

    /// Parses exposition lines: skips comments, takes the name before `{`, the `gpu` label and the
    /// value after the closing `}`. Label values in the sample hold no `}` or `"` escapes.
    static func parse(_ text: String) -> [GPUIndex: [String: Double]] {
        var result: [GPUIndex: [String: Double]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") else { continue }
            let name = String(line[..<open])
            let labels = line[line.index(after: open)..<close]
            guard let gpuRange = labels.range(of: "gpu=\""),
                  let end = labels[gpuRange.upperBound...].firstIndex(of: "\""),
                  let gpu = Int(labels[gpuRange.upperBound..<end]),
                  let value = Double(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces))
            else { continue }
            result[gpu, default: [:]][name] = value
        }
        return result
    }

    /// GPU `index` of the sample as a snapshot: every emitted field the model knows, nothing else.
    static func gpu(_ index: GPUIndex = 0) -> GPUSnapshot {
        var values: [GPUField: Double] = [:]
        for (name, value) in series[index] ?? [:] {
            if let field = GPUField(seriesName: name) { values[field] = value }
        }
        return GPUSnapshot(index: index, uuid: "GPU-a8394b51-c086-568a-9f1a-c1e1c934c44c", modelName: "NVIDIA RTX 4000 Ada Generation", values: values)
    }
}

/// Builders for snapshots at a fixed time.
enum Snap {
    /// The snapshot time used by every test: 2026-05-12T12:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_778_587_200)

    /// `now` minus `seconds`.
    static func ago(_ seconds: Double) -> Date { now.addingTimeInterval(-seconds) }

    /// Samples of `values`, one every `step` seconds, the last at `now`.
    static func series(_ values: [Double], step: Double = 30) -> [TimedValue] {
        values.enumerated().map { offset, value in
            TimedValue(time: ago(Double(values.count - 1 - offset) * step), value: value)
        }
    }

    /// A node with these GPUs, exporter up, scraped now.
    static func node(
        _ gpus: [GPUSnapshot], expected: Int? = nil, up: Bool? = true, lastScrape: Date? = now, gpuClass: String? = nil
    ) -> NodeSnapshot {
        NodeSnapshot(node: "n1", gpuClass: gpuClass, sampleTime: now, exporterUp: up, lastScrape: lastScrape,
                     expectedGPUCount: expected ?? gpus.count, gpus: gpus)
    }

    /// The sample GPU with some values replaced.
    static func gpu(_ index: GPUIndex = 0, _ changes: [GPUField: Double] = [:], configure: (inout GPUSnapshot) -> Void = { _ in }) -> GPUSnapshot {
        var gpu = ExporterSample.gpu(0)
        gpu.index = index
        gpu.values.merge(changes) { _, new in new }
        configure(&gpu)
        return gpu
    }
}

/// What a table row expects: severity and signal of each finding, plus words the reason must hold.
struct Expected: Sendable, Hashable, CustomStringConvertible {
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
func match(_ findings: [Finding], _ expected: [Expected]) -> Bool {
    findings.count == expected.count && zip(findings, expected).allSatisfy { $1.matches($0) }
}
