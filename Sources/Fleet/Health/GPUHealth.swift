/// The verdict for one GPU: its state, its findings, and the flags the API shows.
public struct GPUHealth: Sendable, Hashable, Codable {
    /// GPU index on the node.
    public var index: GPUIndex
    /// `GPU-…` UUID when known.
    public var uuid: String?
    /// The worst severity of the GPU's findings and the node-wide ones; Healthy with none.
    public var status: Severity
    /// The GPU's own findings, worst first (node-wide findings are on `NodeHealth`).
    public var findings: [Finding]
    /// `true` when the GPU holds high VRAM at 0 % utilisation: a healthy idle vLLM.
    public var idleVLLM: Bool
    /// Fields with no reading on this GPU (not emitted, or a DCGM blank), to show as "not collected".
    public var unavailableFields: [GPUField]

    public init(index: GPUIndex, uuid: String?, status: Severity, findings: [Finding], idleVLLM: Bool, unavailableFields: [GPUField]) {
        self.index = index
        self.uuid = uuid
        self.status = status
        self.findings = findings
        self.idleVLLM = idleVLLM
        self.unavailableFields = unavailableFields
    }
}
