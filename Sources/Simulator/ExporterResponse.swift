/// What a simulated exporter endpoint answers.
public enum ExporterResponse: Sendable, Equatable {
    /// 200 with this exposition text (UTF-8 bytes).
    case metrics([UInt8])
    /// 503: the node's exporter is down (a scenario), so Prometheus records `up=0`.
    case down
    /// 404: no node by that name.
    case unknownNode
    /// 404: the node runs no vLLM.
    case noVLLM
}
