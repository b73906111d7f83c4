/// One thing a health check found: what it is about, how bad, where, why, and what to do.
///
/// The reason is a sentence a person can act on, with the value and the limit ("GPU 1 at 91 °C
/// (critical at 90 °C)"); the action is an enum the page, alerts and runbooks share. A finding with
/// severity `.healthy` is information and does not change the GPU's state.
public struct Finding: Sendable, Hashable {
    /// What the finding is about.
    public var signal: Signal
    /// How bad it is; the GPU's state is the worst severity of its findings.
    public var severity: Severity
    /// The GPU it concerns, or `nil` for the whole node (exporter down, a field missing on every GPU).
    public var gpu: GPUIndex?
    /// A sentence with the value and the limit.
    public var reason: String
    /// What to do about it.
    public var action: Action

    public init(signal: Signal, severity: Severity, gpu: GPUIndex?, reason: String, action: Action) {
        self.signal = signal
        self.severity = severity
        self.gpu = gpu
        self.reason = reason
        self.action = action
    }

    /// Display order: worst severity first, then node-wide before per-GPU, then by GPU index, signal
    /// (declaration order) and reason, so the order is total and stable across polls.
    public static func displayOrder(_ lhs: Finding, _ rhs: Finding) -> Bool {
        if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
        if lhs.gpu != rhs.gpu { return (lhs.gpu ?? -1) < (rhs.gpu ?? -1) }
        if lhs.signal != rhs.signal { return lhs.signal.order < rhs.signal.order }
        return lhs.reason < rhs.reason
    }
}

extension Signal {
    /// Position in `allCases`, for a stable sort.
    var order: Int { Signal.allCases.firstIndex(of: self) ?? 0 }
}
