/// How bad a finding is, and the health of a GPU, a node or the whole page.
///
/// Four states, as the page shows them: **Healthy**, **Degraded** (still serving, needs attention),
/// **Critical** (take it out of service) and **Unknown** (we cannot tell: exporter down, GPU absent,
/// series stale).
///
/// ## Roll-up order
/// The `Comparable` order is the roll-up order, worst last:
/// `healthy < unknown < degraded < critical`. A GPU is the worst of its findings, a node the worst of
/// its GPUs, the page pill the worst node. So:
/// - a node with one Critical GPU is Critical, whatever its other GPUs say (a known fault outranks
///   missing data, and the missing GPU is listed as its own Unknown finding);
/// - a node whose exporter is down and which has no known fault is Unknown;
/// - **Unknown never becomes Healthy**: only a node whose every GPU was checked and passed is Healthy.
///   Unknown ranks above Healthy, so no roll-up can hide missing data behind a healthy neighbour.
///
/// A finding with severity `.healthy` is information (an idle vLLM, a field that is not collected, an
/// application XID seen once): it is shown, but it does not change the GPU's state.
///
/// Raw values are returned by the API, so they must not change.
public enum Severity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Checked and fine, or an informational note.
    case healthy
    /// No data to judge by: exporter down, GPU absent, series stale. Never shown as healthy.
    case unknown
    /// Still serving, but something needs attention soon (reset at convenience, check cooling).
    case degraded
    /// Out of service or about to be: drain, reset, reboot or inspect the hardware now.
    case critical

    /// Position in the roll-up order (`healthy` 0 … `critical` 3).
    public var rank: Int {
        switch self {
        case .healthy: 0
        case .unknown: 1
        case .degraded: 2
        case .critical: 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    /// Label for people: "Healthy", "Degraded", "Critical", "Unknown".
    public var label: String {
        switch self {
        case .healthy: "Healthy"
        case .unknown: "Unknown"
        case .degraded: "Degraded"
        case .critical: "Critical"
        }
    }

    /// The roll-up of several states: the worst one, or `.unknown` when there is nothing to judge by.
    ///
    /// An empty collection is Unknown, not Healthy: a node with no GPUs reported, or a page with no
    /// nodes, has not been shown to be healthy.
    public static func worst(_ states: some Sequence<Severity>) -> Severity {
        var result: Severity?
        for state in states where result.map({ state > $0 }) ?? true { result = state }
        return result ?? .unknown
    }
}
