/// What to do after a failed diagnostic, least to most disruptive. Raw values are API values.
public enum RecoveryAction: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case none
    /// Transient or inconclusive: run the diagnostic again (after freeing the GPU if it was busy).
    case rerun
    /// Fix the host's configuration (persistence mode, fabric manager, drivers, environment).
    case checkConfiguration = "check-configuration"
    /// Drain the GPU's work and reset it (`nvidia-smi -r`), then rerun.
    case resetGPU = "reset-gpu"
    /// Take the node out of scheduling and investigate before it serves again.
    case drainNode = "drain-node"
    /// Drain and reboot the node (pending row remap / page retirement, uncontained errors).
    case reboot
    /// Drain and return the GPU to the vendor: memory or hardware is failing.
    case rma

    public var label: String {
        switch self {
        case .none: "No action needed"
        case .rerun: "Rerun the diagnostic"
        case .checkConfiguration: "Fix the host configuration"
        case .resetGPU: "Reset the GPU"
        case .drainNode: "Drain the node"
        case .reboot: "Drain and reboot the node"
        case .rma: "Drain and RMA the GPU"
        }
    }

    private var rank: Int {
        Self.allCases.firstIndex(of: self) ?? 0
    }

    public static func < (lhs: RecoveryAction, rhs: RecoveryAction) -> Bool {
        lhs.rank < rhs.rank
    }
}
