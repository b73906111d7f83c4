/// The shape of a node's load over time.
///
/// Every profile has a closed-form integral, so energy and token counters at any instant are
/// computed exactly instead of by stepping a clock (see `LoadCurve`).
public enum WorkloadProfile: String, Sendable, Hashable, Codable, CaseIterable {
    /// Inference traffic in waves: utilisation between about 15 % and 95 % (default for vLLM nodes).
    case wave
    /// Near-saturated serving, 85–98 %.
    case busy
    /// Nothing running: no process holds memory (default for nodes without vLLM).
    case idle
    /// vLLM loaded but no traffic: about 90 % of VRAM held, 0 % utilisation. Healthy, not a leak.
    case idleVLLM = "idle-vllm"
}
