/// What the agent runs: NVIDIA's `dcgmi diag` (levels 1–4) or the nccl-tests `all_reduce_perf`
/// collective. Raw values are the API's `kind` field, so they must not change.
public enum DiagnosticKind: String, Sendable, Hashable, Codable, CaseIterable {
    case dcgm
    case nccl
}
