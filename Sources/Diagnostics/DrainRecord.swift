/// What the agent did to take a serving node out of traffic around a diagnostic run, and for how
/// long (docs/DIAGNOSTICS.md "Safe diagnostics on a serving card").
///
/// The agent fills it in and sends it with the run's end; the server stores and shows it. Times
/// are ISO 8601 text so the record reads the same in the store, the API and the agent's log.
public struct DrainRecord: Sendable, Hashable, Codable {
    /// How traffic was stopped: `hook` (the agent's `--drain-hook`; the gateway takes over when it exists).
    public var method: String
    /// The hook's path as the agent ran it.
    public var hook: String
    /// When the hook confirmed that routing stopped sending new requests.
    public var drainedAt: String?
    /// Requests running or waiting in vLLM when routing stopped (`nil`: not measured).
    public var inFlightAtDrain: Int?
    /// Seconds spent waiting for those requests to finish.
    public var waitedSeconds: Double?
    /// When the node was given back to routing (`nil`: the restore hook failed or never ran).
    public var restoredAt: String?
    /// Seconds from drained to restored: how long the node served no new traffic.
    public var drainedSeconds: Double?
    /// What went wrong on the way (a failing hook, requests still in flight), for people.
    public var problems: [String]

    public init(
        method: String = "hook", hook: String, drainedAt: String? = nil, inFlightAtDrain: Int? = nil,
        waitedSeconds: Double? = nil, restoredAt: String? = nil, drainedSeconds: Double? = nil, problems: [String] = []
    ) {
        self.method = method
        self.hook = hook
        self.drainedAt = drainedAt
        self.inFlightAtDrain = inFlightAtDrain
        self.waitedSeconds = waitedSeconds
        self.restoredAt = restoredAt
        self.drainedSeconds = drainedSeconds
        self.problems = problems
    }
}
