public import Foundation

/// Where a diagnostic run is in its life (docs/DIAGNOSTICS.md "Running diagnostics").
///
/// `queued → running → passed | failed | cancelled | timed-out`; `queued` may also go straight to
/// `cancelled` or `failed` (its agent went silent). `queued` and `running` are *active*: a node has
/// at most one active run, enforced by a partial unique index as well as by the creating
/// transaction. Final states never change again.
public enum DiagnosticRunState: String, Sendable, Hashable, Codable, CaseIterable {
    case queued, running, passed, failed, cancelled
    case timedOut = "timed-out"

    public var isActive: Bool { self == .queued || self == .running }
}

/// One stored diagnostic run (table `diagnostic_runs`, migration 6).
///
/// The store does not interpret the kind, the output or the report: the report is JSON text the
/// server builds with the `Diagnostics` parsers, so the `Store` target stays free of them.
public struct DiagnosticRunRecord: Sendable, Hashable {
    /// `dg_` + 16 hex digits.
    public var id: String
    /// The tenant that held the node when the run was asked for (also for an operator's run).
    public var tenant: String
    public var node: String
    /// `dcgm` or `nccl`.
    public var kind: String
    /// 1–4 for `dcgm`; 0 for `nccl`.
    public var level: Int
    public var state: DiagnosticRunState
    /// The user id of whoever asked for it.
    public var requestedBy: String
    /// The caller confirmed the server's warning (stressful runs need it).
    public var acknowledged: Bool
    /// How long the agent may let the tool run.
    public var timeoutSeconds: Int
    /// GPUs on the node when the run was asked for (NCCL's `-g`).
    public var gpus: Int
    /// Everything the tool printed so far (stdout and stderr interleaved), capped at `maxOutput`.
    public var output: String
    /// The output was longer than the cap; the first `maxOutput` bytes are kept.
    public var outputTruncated: Bool
    /// The tool's exit status, when it ran to an end.
    public var exitStatus: Int?
    /// Why it failed, was cancelled or timed out, for people.
    public var reason: String?
    /// The parsed report (`Diagnostics.DiagnosticReport`) as a JSON object.
    public var report: String?
    /// A cancel was asked for while the agent ran it; the agent stops the tool on its next contact.
    public var cancelRequested: Bool
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The agent's last contact about this run (claim, output, finish).
    public var agentContactAt: Date?
    /// Drain the node's traffic first (docs/DIAGNOSTICS.md "Safe diagnostics on a serving card").
    public var drainRequested: Bool
    /// What the agent drained and for how long (`Diagnostics.DrainRecord`) as a JSON object.
    public var drain: String?

    public init(
        id: String, tenant: String, node: String, kind: String, level: Int, state: DiagnosticRunState,
        requestedBy: String, acknowledged: Bool, timeoutSeconds: Int, gpus: Int, output: String = "",
        outputTruncated: Bool = false, exitStatus: Int? = nil, reason: String? = nil, report: String? = nil,
        cancelRequested: Bool = false, createdAt: Date, startedAt: Date? = nil, finishedAt: Date? = nil,
        agentContactAt: Date? = nil, drainRequested: Bool = false, drain: String? = nil
    ) {
        self.drainRequested = drainRequested
        self.drain = drain
        self.id = id
        self.tenant = tenant
        self.node = node
        self.kind = kind
        self.level = level
        self.state = state
        self.requestedBy = requestedBy
        self.acknowledged = acknowledged
        self.timeoutSeconds = timeoutSeconds
        self.gpus = gpus
        self.output = output
        self.outputTruncated = outputTruncated
        self.exitStatus = exitStatus
        self.reason = reason
        self.report = report
        self.cancelRequested = cancelRequested
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.agentContactAt = agentContactAt
    }

    /// Largest output kept per run: a level-4 `dcgmi diag -j` document is well under this.
    public static let maxOutput = 2 << 20
}

/// The end of a run as the agent (or the server's sweep) reports it.
public struct DiagnosticRunEnd: Sendable, Hashable {
    public var state: DiagnosticRunState
    public var exitStatus: Int?
    public var reason: String?
    public var report: String?
    /// The agent's drain record, JSON; `nil` when it did not drain.
    public var drain: String?

    public init(state: DiagnosticRunState, exitStatus: Int? = nil, reason: String? = nil, report: String? = nil, drain: String? = nil) {
        self.drain = drain
        self.state = state
        self.exitStatus = exitStatus
        self.reason = reason
        self.report = report
    }
}

/// When the sweep ends an active run the agent no longer drives, so none stays active for ever:
/// - running with no agent contact for `agentSilence` → failed (the agent stopped or lost the server);
/// - running `grace` past its timeout → timed-out (the agent should have stopped it itself);
/// - cancel asked for and not confirmed within `cancelGrace` → cancelled;
/// - queued and not picked up within `queueTimeout` → failed (no agent is polling).
public struct DiagnosticSweepLimits: Sendable, Hashable {
    public var agentSilence: TimeInterval
    public var grace: TimeInterval
    public var cancelGrace: TimeInterval
    public var queueTimeout: TimeInterval
    /// Added to the timeout of a run that drains first: the agent's drain and restore hooks (60 s
    /// each at most) and its wait for in-flight requests (300 s by default) come before and after the tool.
    public var drainAllowance: TimeInterval = 600

    public init(agentSilence: TimeInterval = 20, grace: TimeInterval = 30, cancelGrace: TimeInterval = 15, queueTimeout: TimeInterval = 120) {
        self.agentSilence = agentSilence
        self.grace = grace
        self.cancelGrace = cancelGrace
        self.queueTimeout = queueTimeout
    }
}
