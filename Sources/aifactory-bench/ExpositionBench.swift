import Exposition
import Fleet
import Foundation
import Simulator

/// Exposition / simulator benchmarks (owned by the simulator work).
///
/// The goal: rendering `/nodes/*/dcgm/metrics` for all nodes of a 1,024-GPU fleet (128 × 8) in
/// at most 20 ms median on a 2-core machine. The fast path is compared side by side with the
/// generic writer API, a naive `String(format:)` renderer and parsing the same output.
let expositionBenchmarks: [Benchmark] = [
    Benchmark(name: "exposition: DCGM metrics of a 1,024-GPU fleet (128 nodes × 8 GPUs)") {
        ExpositionBench.run()
    },
]

enum ExpositionBench {
    static func run() {
        let simulation = FleetSimulation(fleet: .synthetic(nodes: 128, gpusPerNode: 8), seed: 1)
        let names = simulation.nodeNames
        var t = 600.0

        // 1. Fast path, as the HTTP handler runs it: one fresh buffer per node.
        var bytes = 0
        let scrape = measure(iterations: 60) {
            t += 15
            bytes = 0
            for name in names {
                if case .metrics(let body) = simulation.dcgm(node: name, at: t) { bytes += body.count }
            }
        }
        // 2. Fast path into one reused buffer (no allocation per node).
        var writer = ExpositionWriter(reservingCapacity: 12_000_000)
        let reused = measure(iterations: 60) {
            t += 15
            writer.removeAll()
            for index in names.indices { simulation.renderDCGM(nodeAt: index, at: t, into: &writer) }
        }
        // The same content as data, for the comparison renderers and the parser.
        let texts = names.compactMap { simulation.dcgmText(node: $0, at: t) }
        let sets = texts.compactMap { try? ExpositionParser.parse($0) }
        let samples = sets.reduce(0) { $0 + $1.allSamples.count }

        // 3. Generic writer: every sample through `sample(_:_:_:format:)` with `[Label]`.
        let generic = measure(iterations: 10) {
            var out = ExpositionWriter(reservingCapacity: 12_000_000)
            for set in sets {
                for family in set.families {
                    out.header(name: family.name, help: family.help ?? "", type: family.type)
                    for sample in family.samples { out.sample(sample.name, sample.labels, sample.value, format: .fixed6) }
                }
            }
            precondition(out.bytes.count > 0)
        }
        // 4. Naive: strings, joined labels and `String(format:)` per value.
        let naive = measure(iterations: 3) {
            var out = ""
            for set in sets {
                for family in set.families {
                    out += "# HELP \(family.name) \(family.help ?? "")\n# TYPE \(family.name) \(family.type.rawValue)\n"
                    for sample in family.samples {
                        let labels = sample.labels.map { "\($0.name)=\"\(Label.escape($0.value))\"" }.joined(separator: ",")
                        out += "\(sample.name){\(labels)} \(String(format: "%f", sample.value))\n"
                    }
                }
            }
            precondition(!out.isEmpty)
        }
        // 5. Parsing the fleet's output with the shared parser.
        let parse = measure(iterations: 5) {
            for text in texts { _ = try? ExpositionParser.parse(text) }
        }

        print("fleet: \(names.count) nodes, \(simulation.fleet.spec.gpuCount) GPUs, \(samples) samples, \(bytes / 1024) KiB per round")
        let base = scrape.median
        func row(_ label: String, _ stats: Stats) {
            let ratio = stats.median / base
            print(label.padding(toLength: 46, withPad: " ", startingAt: 0)
                + "median " + ms(stats.median) + "  p90 " + ms(stats.p90) + "  ×" + String(format: "%.1f", ratio))
        }
        row("fast path, per-node buffers (HTTP path)", scrape)
        row("fast path, one reused buffer", reused)
        row("generic writer ([Label] per sample)", generic)
        row("naive String(format:) renderer", naive)
        row("parse the same output (ExpositionParser)", parse)
        print("goal: median ≤ 20 ms for all nodes → " + (scrape.median <= 0.020 ? "met" : "NOT met"))
    }

    struct Stats {
        var median: Double
        var p90: Double
    }

    static func measure(iterations: Int, _ body: () -> Void) -> Stats {
        body()  // warm-up
        var seconds: [Double] = []
        for _ in 0..<iterations {
            let start = ContinuousClock.now
            body()
            let elapsed = ContinuousClock.now - start
            seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        seconds.sort()
        return Stats(median: seconds[seconds.count / 2], p90: seconds[min(seconds.count - 1, seconds.count * 9 / 10)])
    }

    static func ms(_ seconds: Double) -> String {
        String(format: "%8.2f ms", seconds * 1000)
    }
}
