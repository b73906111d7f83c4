extension NodeRecord {
    /// The OpenAI base URL of a node's vLLM: `http://<vllmAddress><vllmPath without "/metrics">`
    /// (vLLM serves `/metrics` and `/v1` on one port; the simulator mounts `/v1` next to its
    /// `/nodes/<node>/vllm/metrics`). `nil` for a node without vLLM.
    public var openAIBase: String? {
        vllmAddress.map { Self.openAIBase(address: $0, path: vllmPath) }
    }

    public static func openAIBase(address: String, path: String?) -> String {
        var path = path ?? "/metrics"
        if path.hasSuffix("/metrics") { path.removeLast("/metrics".count) }
        while path.hasSuffix("/") { path.removeLast() }
        return "http://\(address)\(path)"
    }
}
