/// How a node's GPUs talk to each other, which sets the bus bandwidth an NCCL test should reach.
public enum Interconnect: String, Sendable, Hashable, Codable, CaseIterable {
    /// NVLink / NVSwitch (SXM boards, HGX).
    case nvlink
    /// PCIe only (PCIe cards, workstation GPUs).
    case pcie
}
