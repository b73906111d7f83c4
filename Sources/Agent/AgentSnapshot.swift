/// Everything `/metrics` shows: the GPUs' identities and latest values, the last XID per GPU,
/// and what is not collected.
public struct AgentSnapshot: Sendable, Equatable {
    public struct GPU: Sendable, Equatable {
        public var identity: GPUIdentity
        public var values: GPUValues
        /// Last XID NVML reported since the agent started (0 = none), as dcgm-exporter's sticky
        /// `DCGM_FI_DEV_XID_ERRORS`; `nil` when XID events cannot be registered for this GPU.
        public var lastXID: UInt64?
    }

    public var hostname: String
    public var driverVersion: String
    public var gpus: [GPU]
    /// Why XID events are not collected on some or all GPUs (empty when they are).
    public var xidNotCollected: [NotCollected]
    /// Completed samples since start; a scrape's cache key.
    public var generation: UInt64
    /// When the gauges were last read (Unix seconds). A scrape serves that sample, so a sampler
    /// stuck in a hung NVML call shows as an old timestamp instead of fresh-looking stale values
    /// (dcgm-exporter's "hung metrics" complaint).
    public var sampledAt: Double

    /// Every field without a value, one entry per GPU (or one without a GPU when the whole
    /// library lacks the call), sorted by field then GPU.
    public var notCollected: [NotCollected] {
        var seen = Set<NotCollected>()
        var result: [NotCollected] = []
        for gpu in gpus {
            for (field, reason) in gpu.values.reasons {
                // A missing entry point applies to every GPU: list it once, without a GPU.
                let library = gpu.values.missingFromLibrary.contains(field)
                let entry = NotCollected(field: field, gpu: library ? nil : gpu.identity.index, reason: reason)
                if seen.insert(entry).inserted { result.append(entry) }
            }
        }
        for entry in xidNotCollected where seen.insert(entry).inserted { result.append(entry) }
        return result.sorted { ($0.field.rawValue, $0.gpu ?? -1) < ($1.field.rawValue, $1.gpu ?? -1) }
    }
}
