public import Foundation

/// One detection of a `GPUEvent.Kind` on one GPU or node at one time, before de-duplication.
///
/// `EventDetector` produces these; `Store.recordEvent` folds them into `GPUEvent`s.
///
/// - **Onset** (`isOnset == true`): a new transition (a changed XID gauge, a counter increase, a
///   state entered). It adds `count` to the matching event.
/// - **Continuation** (`isOnset == false`): a state that was already on is still on (or was on when
///   the recorder started and there is no previous snapshot to compare with). It only moves the
///   matching event's `lastSeen`, so an ongoing problem and a restarted recorder never inflate counts.
///
/// An occurrence whose `time` is not after the matching event's `lastSeen` was already recorded and
/// changes nothing, which makes recording idempotent.
public struct EventOccurrence: Sendable, Hashable, Codable {
    public var node: String
    public var gpuUUID: String?
    public var gpuIndex: GPUIndex?
    public var kind: GPUEvent.Kind
    public var code: Int?
    public var meaning: String
    public var severity: Severity
    /// When it happened: the sample time of the change when known, else the snapshot time.
    public var time: Date
    /// Occurrences represented (an XID code seen twice between polls is one occurrence of count 2).
    public var count: Int
    /// `true` for a new transition, `false` for a condition that is still on.
    public var isOnset: Bool

    public init(
        node: String, gpuUUID: String? = nil, gpuIndex: GPUIndex? = nil, kind: GPUEvent.Kind, code: Int? = nil,
        meaning: String, severity: Severity, time: Date, count: Int = 1, isOnset: Bool = true
    ) {
        self.node = node
        self.gpuUUID = gpuUUID
        self.gpuIndex = gpuIndex
        self.kind = kind
        self.code = code
        self.meaning = meaning
        self.severity = severity
        self.time = time
        self.count = count
        self.isOnset = isOnset
    }

    /// The identity events are de-duplicated by: node, GPU (UUID, else index), kind and code.
    public var deduplicationKey: String {
        let gpu = gpuUUID ?? gpuIndex.map { "#\($0)" } ?? "-"
        return "\(node)|\(gpu)|\(kind.rawValue)|\(code.map(String.init) ?? "-")"
    }
}
