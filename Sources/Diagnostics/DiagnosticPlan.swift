/// One diagnostic as asked for: which tool, which level, and everything that follows from that
/// (whether it stresses the GPU, the warning a person must acknowledge, the time limit).
///
/// The server builds it to gate the request and to parse the output; the agent builds it again
/// from the job it pulled, so both ends agree on the command and the timeout.
public struct DiagnosticPlan: Sendable, Hashable {
    public let kind: DiagnosticKind
    /// `dcgmi diag -r` level, 1…4. Always 0 for NCCL runs, which have no levels.
    public let level: Int

    /// - Throws: `DiagnosticPlanError` for a DCGM level outside 1…4 or a level on an NCCL run.
    public init(kind: DiagnosticKind, level: Int) throws(DiagnosticPlanError) {
        switch kind {
        case .dcgm:
            guard (1...4).contains(level) else {
                throw DiagnosticPlanError("dcgmi diag levels are 1 (quick), 2 (medium), 3 (long) and 4 (extended), not \(level)")
            }
        case .nccl:
            guard level == 0 else {
                throw DiagnosticPlanError("NCCL tests have no level: leave 'level' out (got \(level))")
            }
        }
        self.kind = kind
        self.level = level
    }

    /// Level 1 only reads configuration and software state; everything else loads the GPU (DCGM
    /// levels 2–4 allocate memory and run kernels, NCCL saturates NVLink/PCIe), so a person must
    /// say they accept that before it starts. The server enforces it.
    public var needsAcknowledgement: Bool {
        kind == .nccl || level >= 2
    }

    /// How long the run may take before the agent stops it and the run ends `timed-out`. About
    /// twice DCGM's own published durations, because slow PCIe hosts and many GPUs stretch them.
    public var timeout: Duration {
        switch (kind, level) {
        case (.nccl, _): .seconds(10 * 60)
        case (_, 1): .seconds(5 * 60)
        case (_, 2): .seconds(15 * 60)
        case (_, 3): .seconds(60 * 60)
        default: .seconds(3 * 60 * 60)
        }
    }

    /// What the run is called on the page and in events: `dcgmi diag r3`, `NCCL all_reduce test`.
    public var title: String {
        kind == .dcgm ? "dcgmi diag r\(level)" : "NCCL all_reduce test"
    }

    /// How long it usually takes, as the warning and the page say it.
    public var expectedDuration: String {
        switch (kind, level) {
        case (.nccl, _): "about 1–3 minutes"
        case (_, 1): "under a minute"
        case (_, 2): "about 2–3 minutes"
        case (_, 3): "about 30 minutes"
        default: "1–2 hours or more"
        }
    }

    /// The warning a person acknowledges before a stressful run: the page quotes it verbatim and
    /// the server answers it with 412 when `acknowledged` is missing. Level 1 has none.
    public var warning: String {
        var lines: [String] = []
        switch (kind, level) {
        case (.nccl, _):
            lines.append("NCCL all_reduce_perf (8 B to 256 MiB across every GPU of the node) takes \(expectedDuration) and saturates NVLink/PCIe between the GPUs.")
            lines.append("It allocates up to about 1 GiB per GPU: while vLLM holds ~90 % of VRAM it can fail with out-of-memory or push vLLM into preemption.")
            lines.append("Inference on this node slows down while it runs; drain the node first if it serves traffic.")
        case (_, 1):
            return ""
        case (_, 2):
            lines.append("dcgmi diag -r 2 takes \(expectedDuration): PCIe bandwidth, a GPU memory test and a short compute check on every GPU.")
            lines.append("The memory test wants most of the free VRAM: while vLLM holds ~90 % of it the test fails or is skipped; stop or drain vLLM for a clean verdict.")
            lines.append("Requests served by this node slow down or time out while it runs.")
        case (_, 3):
            lines.append("dcgmi diag -r 3 takes \(expectedDuration): targeted stress and power, memory bandwidth and a full memory test at full power on every GPU.")
            lines.append("It needs nearly all VRAM (vLLM at ~90 % must be stopped) and drives the GPUs to their power limit: temperature and fan noise rise, and any serving traffic on this node fails.")
            lines.append("A marginal GPU can fall off the bus (XID 79) under this load and then needs a reset.")
        default:
            lines.append("dcgmi diag -r 4 takes \(expectedDuration): the extended memory test (EUD where installed) and long stress runs on every GPU.")
            lines.append("It needs the whole GPU (vLLM at ~90 % of VRAM must be stopped), holds the GPUs at their power limit for the whole run, and any serving traffic on this node fails.")
            lines.append("A marginal GPU can fall off the bus or retire memory pages under this load; plan a maintenance window and expect to reset or reboot.")
        }
        return lines.joined(separator: " ")
    }
}
