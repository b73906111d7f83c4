import Foundation
import Simulator
import Testing

/// The real `promtool check metrics` accepts the simulator's output for every node.
///
/// promtool lints as well as parses. Its lint flags things the real exporters do by design
/// (dcgm-exporter: camelCase labels, counters without `_total`; vLLM: `:` in names), so the rule
/// is: no parse error (exit 1), and no lint problem of a kind the real samples in
/// `Tests/Fixtures` do not show themselves.
@Suite("Simulator output through promtool")
struct SimulatorPromtoolTests {
    /// Lint problem kinds (message without the metric name) promtool reports on the fixtures.
    static func problemKinds(_ output: String) -> Set<String> {
        Set(output.split(separator: "\n").map { line -> String in
            guard let space = line.firstIndex(of: " ") else { return String(line) }
            return String(line[line.index(after: space)...])
        })
    }

    static func check(_ promtool: String, _ text: String) async throws -> (status: Int32, kinds: Set<String>, output: String) {
        let result = try await ProcessRunner.run(promtool, ["check", "metrics"], stdin: Data(text.utf8), timeout: 60)
        return (result.status, problemKinds(result.output), result.output)
    }

    @Test("every demo node's DCGM and vLLM output passes promtool at start and after every fault", .timeLimit(.minutes(2)))
    func demoFleet() async throws {
        guard let promtool = ExternalTool.require("promtool") else { return }
        var allowed: Set<String> = []
        for fixture in ["dcgm-exporter-sample.prom", "vllm-metrics-sample.prom"] {
            let text = try String(contentsOf: ExternalTool.fixturesDirectory.appendingPathComponent(fixture), encoding: .utf8)
            let result = try await Self.check(promtool, text)
            #expect(result.status != 1, "promtool cannot parse the fixture \(fixture): \(result.output)")
            allowed.formUnion(result.kinds)
        }
        let simulation = FleetSimulation(fleet: FleetFile.demo, seed: 1)
        var checked = 0
        for node in simulation.nodeNames {
            for t in [10.0, 120, 600] {  // before faults, just after onset, after the thermal peak
                for text in [simulation.dcgmText(node: node, at: t), simulation.vllmText(node: node, at: t)].compactMap({ $0 }) {
                    let result = try await Self.check(promtool, text)
                    #expect(result.status == 0 || result.status == 3, "\(node) at \(t) s: promtool exit \(result.status): \(result.output)")
                    let unexpected = result.kinds.subtracting(allowed)
                    #expect(unexpected.isEmpty, "\(node) at \(t) s: \(unexpected.sorted())")
                    checked += 1
                }
            }
        }
        #expect(checked > 50)
    }

    @Test("a synthetic 8-GPU node passes promtool", .timeLimit(.minutes(1)))
    func syntheticNode() async throws {
        guard let promtool = ExternalTool.require("promtool") else { return }
        let simulation = FleetSimulation(fleet: .synthetic(nodes: 1, gpusPerNode: 8), seed: 9)
        let node = try #require(simulation.nodeNames.first)
        let dcgm = try #require(simulation.dcgmText(node: node, at: 3600))
        let vllm = try #require(simulation.vllmText(node: node, at: 3600))
        for text in [dcgm, vllm] {
            let result = try await Self.check(promtool, text)
            #expect(result.status == 0 || result.status == 3, "\(result.output)")
            #expect(!result.output.contains("error"), "\(result.output)")
        }
    }
}
