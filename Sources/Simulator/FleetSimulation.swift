public import Exposition
import Fleet

/// The simulated fleet: every node's model and renderer, answering "what would this exporter
/// return at time t".
///
/// Immutable and `Sendable`: the HTTP layer shares one instance across requests and only passes
/// in the elapsed time, so concurrent scrapes need no locks and tests evaluate any instant.
public struct FleetSimulation: Sendable {
    public let fleet: LoadedFleet
    public let seed: UInt64
    let nodes: [NodeModel]
    let renderers: [DCGMRenderer]
    let indexByName: [String: Int]

    public init(fleet: LoadedFleet, seed: UInt64) {
        self.fleet = fleet
        self.seed = seed
        nodes = fleet.spec.nodes.map { NodeModel(spec: $0, scenarios: fleet.scenarios(for: $0.name), seed: seed) }
        renderers = nodes.map(DCGMRenderer.init(node:))
        indexByName = Dictionary(fleet.spec.nodes.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Node names in fleet order.
    public var nodeNames: [String] { nodes.map(\.spec.name) }

    /// The `/targets` listing.
    public var targets: [SimulatorTarget] { fleet.spec.nodes.map(SimulatorTarget.init) }

    /// `GET /nodes/<node>/dcgm/metrics` at `t` seconds after start.
    public func dcgm(node name: String, at t: Double) -> ExporterResponse {
        guard let index = indexByName[name] else { return .unknownNode }
        guard !nodes[index].isDown(at: t) else { return .down }
        var writer = ExpositionWriter(reservingCapacity: renderers[index].expectedSize)
        renderers[index].render(nodes[index], at: t, into: &writer)
        return .metrics(writer.bytes)
    }

    /// `GET /nodes/<node>/vllm/metrics` at `t` seconds after start.
    public func vllm(node name: String, at t: Double) -> ExporterResponse {
        guard let index = indexByName[name] else { return .unknownNode }
        let node = nodes[index]
        guard let model = node.vllm else { return .noVLLM }
        guard !node.isDown(at: t) else { return .down }
        var writer = ExpositionWriter(reservingCapacity: 16_384)
        VLLMRenderer.render(model, model.reading(at: t, load: node.load), into: &writer)
        return .metrics(writer.bytes)
    }

    /// Renders the DCGM output of the node at `index` (fleet order) into `writer`, ignoring
    /// outages; for benchmarks and bulk checks.
    public func renderDCGM(nodeAt index: Int, at t: Double, into writer: inout ExpositionWriter) {
        renderers[index].render(nodes[index], at: t, into: &writer)
    }

    /// DCGM output as text (empty when the node is unknown or down); convenience for tests.
    public func dcgmText(node name: String, at t: Double) -> String? {
        guard case .metrics(let bytes) = dcgm(node: name, at: t) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// vLLM output as text, or `nil` when the node has no vLLM, is unknown or is down.
    public func vllmText(node name: String, at t: Double) -> String? {
        guard case .metrics(let bytes) = vllm(node: name, at: t) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
