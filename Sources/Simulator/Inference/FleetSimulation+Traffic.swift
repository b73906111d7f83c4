import Exposition

extension FleetSimulation {
    /// `GET /nodes/<node>/vllm/metrics` at `t`, with the live traffic of the node's inference
    /// endpoints added to the modelled engine (running/waiting/KV gauges, token and request
    /// counters, latency histograms), so a load test shows on dashboards.
    func vllm(node name: String, at t: Double, live: VLLMLiveTraffic?) -> ExporterResponse {
        guard let live else { return vllm(node: name, at: t) }
        guard let index = indexByName[name] else { return .unknownNode }
        let node = nodes[index]
        guard let model = node.vllm else { return .noVLLM }
        guard !node.isDown(at: t) else { return .down }
        var reading = model.reading(at: t, load: node.load)
        reading.live = live
        var writer = ExpositionWriter(reservingCapacity: 16_384)
        VLLMRenderer.render(model, reading, into: &writer)
        return .metrics(writer.bytes)
    }
}
