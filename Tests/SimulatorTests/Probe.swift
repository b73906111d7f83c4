import Exposition
import Simulator
import Testing

/// Scrapes a simulation at chosen instants through the shared exposition parser, so every
/// assertion about simulator output goes through the same code that reads the real fixtures.
struct Probe {
    let simulation: FleetSimulation

    init(_ fleet: LoadedFleet = FleetFile.demo, seed: UInt64 = 7) {
        simulation = FleetSimulation(fleet: fleet, seed: seed)
    }

    func dcgm(_ node: String, at t: Double) throws -> MetricSet {
        let text = try #require(simulation.dcgmText(node: node, at: t), "no DCGM output for \(node) at \(t)")
        return try ExpositionParser.parse(text)
    }

    func vllm(_ node: String, at t: Double) throws -> MetricSet {
        let text = try #require(simulation.vllmText(node: node, at: t), "no vLLM output for \(node) at \(t)")
        return try ExpositionParser.parse(text)
    }

    /// The value of `family` for GPU `gpu` at `t`, or `nil` when the series is absent.
    func value(_ node: String, _ family: String, gpu: Int, at t: Double) throws -> Double? {
        try dcgm(node, at: t).samples(family).first { $0[label: "gpu"] == String(gpu) }?.value
    }
}
