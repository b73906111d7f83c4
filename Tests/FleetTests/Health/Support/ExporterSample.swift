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
