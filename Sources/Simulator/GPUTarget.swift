/// Which GPUs of a node a scenario step applies to.
public enum GPUTarget: Sendable, Hashable {
    /// One GPU by index (`gpu="<n>"`).
    case index(Int)
    /// Every GPU of the node.
    case all

    /// `true` when the step applies to GPU `index`.
    public func matches(_ index: Int) -> Bool {
        switch self {
        case .all: true
        case .index(let target): target == index
        }
    }
}
