import Fleet
import Foundation

/// Builders for snapshots at a fixed time.
enum HealthFixture {
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
