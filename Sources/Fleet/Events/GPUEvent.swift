public import Foundation

/// A stored GPU event: one kind of trouble on one GPU (or node), de-duplicated over time.
///
/// Events are what the history shows ("XID 79 on GPU 3, first 10:02, last 10:40, 4 times"). They
/// are made from `EventOccurrence`s by the store: occurrences of the same node, GPU, kind and code
/// within the de-duplication window fold into one event whose `lastSeen` and `count` advance
/// (see docs/EVENTS.md). Raw values of `Kind` are returned by the API, so they must not change.
public struct GPUEvent: Sendable, Hashable, Codable, Identifiable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// An XID error: the XID gauge changed to a non-zero code (or the XID count rose).
        case xid
        /// The volatile double-bit ECC counter increased.
        case eccDBE = "ecc-dbe"
        /// The temperature entered Degraded or Critical.
        case thermal
        /// Row remapping failed (`DCGM_FI_DEV_ROW_REMAP_FAILURE` became 1).
        case rowRemap = "row-remap"
        /// The PCIe link width or generation dropped, or the link runs below its maximum under load.
        case pcieLink = "pcie-link"
        /// A hardware clock-event bit (HW slowdown, HW thermal, power brake) appeared.
        case clockEvent = "clock-event"
        /// The node's exporter went from up to down (node-wide: no GPU).
        case exporterDown = "exporter-down"
        /// An on-demand diagnostic (dcgmi diag, NCCL test) failed or timed out (node-wide); the
        /// server records it when the run ends, not the event recorder.
        case diagnosticFailed = "diagnostic-failed"

    }

    /// Store-assigned id (`e_…`).
    public var id: String
    /// Node name.
    public var node: String
    /// `GPU-…` UUID when known.
    public var gpuUUID: String?
    /// GPU index on the node; `nil` for node-wide events (exporter down).
    public var gpuIndex: GPUIndex?
    public var kind: Kind
    /// XID code, or the clock-event bit; `nil` for kinds without a code.
    public var code: Int?
    /// What it means, for people (the catalogue's name for an XID, the finding's reason otherwise).
    public var meaning: String
    /// The worst severity seen for this event.
    public var severity: Severity
    /// When it was first seen.
    public var firstSeen: Date
    /// When it was last seen (the latest occurrence, or the latest poll that still saw the condition).
    public var lastSeen: Date
    /// How many separate occurrences were folded into this event (at least 1).
    public var count: Int

    /// Default de-duplication window: occurrences closer than this to an event's `lastSeen` fold into it.
    public static let defaultDeduplicationWindow: TimeInterval = 3600

    public init(
        id: String, node: String, gpuUUID: String?, gpuIndex: GPUIndex?, kind: Kind, code: Int?, meaning: String,
        severity: Severity, firstSeen: Date, lastSeen: Date, count: Int
    ) {
        self.id = id
        self.node = node
        self.gpuUUID = gpuUUID
        self.gpuIndex = gpuIndex
        self.kind = kind
        self.code = code
        self.meaning = meaning
        self.severity = severity
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.count = count
    }
}
