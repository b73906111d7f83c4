extension FleetSimulation {
    /// What an exporter of `node` answers while an injected fault holds it down: 503, except
    /// that an unknown node stays 404 and so does the vLLM endpoint of a node that runs none
    /// (a down exporter is still an exporter that exists).
    func injectedDown(node name: String, vllm: Bool = false) -> ExporterResponse {
        guard let index = indexByName[name] else { return .unknownNode }
        if vllm, nodes[index].vllm == nil { return .noVLLM }
        return .down
    }
}
