import Fleet
/// One `InferenceEngine` per vLLM node of a fleet, shared by the inference routes and the vLLM
/// exposition (so `vllm:*` series move with the load a test puts on the node).
public struct InferenceFarm: Sendable {
    private let engines: [String: InferenceEngine]
    /// Socket-side timestamps for the engines' truth; its handler belongs in the server's pipeline.
    public let wireClock = WireClock()

    /// - Parameter profile: the batching model per node; defaults to `InferenceProfile.standard`
    ///   for the node's GPU count.
    public init(simulation: FleetSimulation, profile: (@Sendable (_ gpuCount: Int) -> InferenceProfile)? = nil) {
        var engines: [String: InferenceEngine] = [:]
        for node in simulation.fleet.spec.nodes {
            guard let model = node.servedModel else { continue }
            let profile = profile?(node.gpuCount) ?? .standard(gpuCount: node.gpuCount)
            engines[node.name] = InferenceEngine(node: node.name, model: model, profile: profile)
        }
        self.engines = engines
    }

    /// The engine of `node`, or `nil` when the node is unknown or runs no vLLM.
    public func engine(node: String) -> InferenceEngine? {
        engines[node]
    }
}
