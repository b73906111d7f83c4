public import Foundation

/// The verdict for one node: the worst of its GPUs, with every finding.
public struct NodeHealth: Sendable, Hashable, Codable {
    /// Node name.
    public var node: String
    /// Time the snapshot was taken at.
    public var sampleTime: Date
    /// The worst GPU state and node-wide finding; Unknown when there is nothing to judge by.
    public var status: Severity
    /// One sentence: the worst finding's reason, or that every GPU passed.
    public var summary: String
    /// Every GPU the node should have, reported or absent, by index.
    public var gpus: [GPUHealth]
    /// All findings, node-wide and per GPU, sorted by severity (worst first), then GPU.
    public var findings: [Finding]

    public init(node: String, sampleTime: Date, status: Severity, summary: String, gpus: [GPUHealth], findings: [Finding]) {
        self.node = node
        self.sampleTime = sampleTime
        self.status = status
        self.summary = summary
        self.gpus = gpus
        self.findings = findings
    }
}
