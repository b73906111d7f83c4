public import Fleet
public import Foundation

/// Persistent state of an installation: tenants, identities, inventory, subscriptions, audit.
///
/// One protocol with two implementations sharing one code path (`SQLStore` over SQLite or
/// PostgreSQL), so the embedded default and the scale-out database cannot drift apart in behaviour.
///
/// Contract for every method:
/// - Input is validated before anything is written; bad input throws `StoreError.invalid` naming
///   the field, a taken name throws `StoreError.duplicate`, an unknown reference throws
///   `StoreError.notFound`. Stored data is never changed by a call that throws.
/// - Every write is one transaction, committed before the call returns (durable across `kill -9`).
/// - Lists are sorted by name (or creation for keys and subscriptions, newest-first for audit), so
///   callers and tests get a stable order from either database.
public protocol Store: Sendable {
    /// Applies every migration not yet recorded in `schema_migrations`; a no-op when up to date.
    func migrate() async throws
    /// Releases connections and threads. The store must not be used afterwards.
    func close() async throws
    /// How replicas sharing this database coordinate (a cluster of one for SQLite).
    var cluster: any Cluster { get }
    /// Records the last pass of the once-per-cluster loop `name` by replica `holder`.
    func recordLoopBeat(name: String, holder: String, at: Date, error: String?) async throws
    /// The last recorded pass of loop `name`, whichever replica ran it.
    func loopBeat(name: String) async throws -> LoopBeat?

    // MARK: Tenants

    func createTenant(name: String, displayName: String) async throws -> Tenant
    func tenant(named: String) async throws -> Tenant?
    func tenants() async throws -> [Tenant]

    // MARK: Users and keys

    /// `tenant` must be `nil` exactly for `.siteOperator`, and name an existing tenant otherwise.
    func createUser(name: String, tenant: String?, kind: UserKind) async throws -> User
    func user(id: String) async throws -> User?
    /// Users of one tenant, or every user (operators included) when `tenant` is `nil`.
    func users(tenant: String?) async throws -> [User]
    /// Returns the record and the plaintext key; the plaintext is never stored or shown again.
    /// With `audit`, its entry (target: the new key's id; detail plus `prefix`) is written in the
    /// same transaction, so a key never exists unaudited and an audit failure creates no key.
    func createAPIKey(userID: String, label: String, audit: AuditNote?) async throws -> (record: APIKeyRecord, plaintext: String)
    /// Looks a presented key up by prefix, compares hashes in constant time, updates last-used; nil when unknown or revoked.
    func authenticate(apiKey: String, now: Date) async throws -> (key: APIKeyRecord, user: User)?
    /// Revokes a key and deletes the sessions it opened; revoking an already revoked key keeps the
    /// first revocation time.
    func revokeAPIKey(id: String, now: Date) async throws
    func apiKeys(userID: String) async throws -> [APIKeyRecord]

    // MARK: Sessions

    /// Stores a browser session by its token's hash. Expired sessions are deleted, and the user's
    /// oldest sessions beyond `maxPerUser - 1` too, so a user has at most `maxPerUser`.
    /// The key must belong to the user and be unrevoked (`.notFound` otherwise).
    func createSession(tokenHash: String, userID: String, keyID: String, expiresAt: Date, maxPerUser: Int) async throws
    /// The unexpired session with this token hash, or `nil`.
    func session(tokenHash: String, now: Date) async throws -> SessionRecord?
    /// Ends a session; unknown hashes are ignored.
    func deleteSession(tokenHash: String) async throws
    /// Sessions stored for a user (expired ones not yet deleted included).
    func sessionCount(userID: String) async throws -> Int

    // MARK: Pools, nodes, subscriptions

    func createPool(name: String, displayName: String) async throws -> Pool
    func pools() async throws -> [Pool]
    /// Stores a node; `createdAt` in the argument is ignored and set by the store.
    func registerNode(_ node: NodeRecord) async throws -> NodeRecord
    func node(named: String) async throws -> NodeRecord?
    func nodes() async throws -> [NodeRecord]
    /// Records the GPU UUIDs an exporter reported for a node, replacing earlier ones.
    func updateGPUUUIDs(node: String, uuids: [String]) async throws
    /// Re-points a node at new exporter endpoints; holding, class and history are kept.
    func updateNodeEndpoints(node: String, dcgmAddress: String, dcgmPath: String, vllmAddress: String?, vllmPath: String?) async throws
    func createSubscription(
        tenant: String, pool: String, plan: String, tokenQuota: Int, period: String
    ) async throws -> Subscription
    /// Subscriptions of one tenant, or all when `tenant` is `nil`.
    func subscriptions(tenant: String?) async throws -> [Subscription]

    // MARK: Enrolment (docs/AGENT.md "Enrol")

    /// Mints a one-time enrolment token for `tenant` (and `pool`, which the enrolled node is then
    /// contributed to). Returns the record and the plaintext, which is never stored or shown again
    /// (only its SHA-256 is kept). `expiresAt` must lie after now. With `audit`, its entry (target:
    /// the token's id) commits in the same transaction.
    func createEnrolmentToken(
        tenant: String, pool: String?, createdBy: String, expiresAt: Date, audit: AuditNote?
    ) async throws -> (record: EnrolmentToken, plaintext: String)
    /// Redeems a token and registers `node` in one transaction: the token must be unused and
    /// unexpired at `now` (else `EnrolmentError`, and nothing is written). The node's holding is the
    /// token's (the argument's is ignored); its agent starts with `agentVersion`, `lastSeen = now`
    /// and `heartbeatSeconds`. Returns the stored node and the node credential's plaintext, shown
    /// once (only its SHA-256 is stored). A node name already taken throws `.duplicate` and leaves
    /// the token unused.
    func redeemEnrolmentToken(
        _ token: String, node: NodeRecord, agentVersion: String, heartbeatSeconds: Int, now: Date
    ) async throws -> (node: NodeRecord, credential: String)
    /// The node a presented agent credential belongs to, or `nil` when unknown.
    func authenticateNode(credential: String) async throws -> String?
    /// Records an agent's heartbeat: version, interval and `lastSeen = now`. `.notFound` for a node
    /// without an enrolled agent.
    func recordHeartbeat(node: String, agentVersion: String, intervalSeconds: Int, migGPUs: [Int], now: Date) async throws
    /// Tokens minted for `tenant`, or all when `nil`; newest first.
    func enrolmentTokens(tenant: String?) async throws -> [EnrolmentToken]

    // MARK: Audit

    /// `detail` must be a JSON object text (validated), so the log stays machine-readable.
    func appendAudit(actor: String, action: String, target: String, detail: String) async throws
    /// The newest `limit` entries, newest first.
    func auditLog(limit: Int) async throws -> [AuditEntry]
    /// The newest `limit` entries that `filter` admits, newest first.
    func auditLog(_ filter: AuditFilter, limit: Int) async throws -> [AuditEntry]

    // MARK: GPU events

    /// Folds one occurrence into the event history (docs/EVENTS.md) and returns the event it landed in.
    ///
    /// The event with the occurrence's `deduplicationKey` whose `lastSeen` lies within
    /// `deduplicationWindow` seconds before the occurrence is updated: an onset adds its `count`,
    /// a continuation only moves `lastSeen`; severity keeps the worst. An occurrence not after that
    /// event's `lastSeen` was already recorded and changes nothing (recording is idempotent).
    /// Otherwise a new event is inserted with the occurrence's count.
    func recordEvent(_ occurrence: EventOccurrence, deduplicationWindow: TimeInterval) async throws -> GPUEvent
    /// Events of `nodes` whose `lastSeen` is at or after `since`, newest `lastSeen` first.
    func events(nodes: [String], since: Date) async throws -> [GPUEvent]
    /// Deletes events whose `lastSeen` is before `before`; returns how many.
    func pruneEvents(before: Date) async throws -> Int

    // MARK: Load tests

    /// Stores a `queued` test. `plan` is a JSON object text. A tenant has at most one active
    /// (queued or running) test: a second throws `.duplicate(entity: "active load test", name: <its id>)`.
    func createLoadTest(tenant: String, node: String, requestedBy: String, plan: String) async throws -> LoadTestRecord
    /// Applies `update`; moving to `running` sets `startedAt`, to a final status `finishedAt`.
    /// A test already in a final status is never changed (`.invalid(field: "status")`); an unknown
    /// id is `.notFound`.
    func updateLoadTest(id: String, _ update: LoadTestUpdate) async throws -> LoadTestRecord
    func loadTest(id: String) async throws -> LoadTestRecord?
    /// One tenant's tests, or everyone's when `tenant` is `nil`; newest first, at most `limit` (≤ 1000).
    func loadTests(tenant: String?, limit: Int) async throws -> [LoadTestRecord]
    /// Marks every queued or running test created before `createdBefore` `failed` with `reason`
    /// (start-up: the process that ran them is gone); returns how many.
    func failActiveLoadTests(reason: String, createdBefore: Date) async throws -> Int
    /// The heartbeat of the replica `owner` for the tests it runs: records it as their owner, seen
    /// `now`. Returns the ids among them that are no longer active (cancelled through another
    /// replica, or failed as orphaned), which the owner stops.
    func holdLoadTests(ids: [String], owner: String, now: Date) async throws -> [String]
    /// Fails, with `reason`, every active test no live replica runs: owned ones whose owner was
    /// last heard before `silentSince`, unowned ones created before `unownedBefore`. Returns how many.
    func failOrphanedLoadTests(reason: String, silentSince: Date, unownedBefore: Date) async throws -> Int

    // MARK: Usage ledger (docs/GATEWAY.md "Metering")

    /// Records one metered request; `false` when its request id is already in the ledger.
    func recordUsage(_ entry: UsageEntry) async throws -> Bool
    /// Records a batch in one transaction; returns how many were new.
    func recordUsage(_ entries: [UsageEntry]) async throws -> Int
    /// A tenant's tokens and requests since `since` (the quota's billing period).
    func usageTotals(tenant: String, since: Date) async throws -> UsageTotals
    /// Sums since `since` over a tenant's rows, a pool's rows (every consumer of it: what a
    /// provider may see, with no names), or both.
    func usageTotals(tenant: String?, pool: String?, since: Date) async throws -> UsageTotals
    /// Removes a node's registration (its agent credential and drain with it); its history stays.
    /// `inUse` while a diagnostic run or load test on it is active; `notFound` when unknown.
    func removeNode(name: String) async throws
    /// Removes a subscription; the usage it metered stays in the ledger.
    func removeSubscription(id: String) async throws
    /// Removes a tenant with its users, keys, sessions, enrolment tokens, load-test and
    /// diagnostic-run records; `inUse` while it holds a node, has a subscription or runs a load test.
    func removeTenant(name: String) async throws
    /// Removes a pool and its enrolment tokens; `inUse` while a node contributes to it or a tenant subscribes.
    func removePool(name: String) async throws
    /// Removes a user with its keys and sessions; the usage its keys metered stays in the ledger.
    func removeUser(id: String) async throws
    /// Drains `node` (a `reason`) or restores it (`nil`); whether anything changed. 404-like
    /// `notFound` for a node that does not exist.
    func setNodeDrain(node: String, reason: String?, at time: Date) async throws -> Bool
    /// Every drained node, by name.
    func nodeDrains() async throws -> [NodeDrain]
    /// A tenant's rows in [`from`, `to`) by time bucket, model and key.
    func usageBreakdown(tenant: String, pool: String?, from: Date, to: Date, bucketSeconds: Int) async throws -> UsageBreakdown

    // MARK: Validation runs (docs/VALIDATE.md)

    /// Saves a self-check run; keeps the newest `ValidationRunRecord.kept` of its tenant (or the fleet).
    func saveValidationRun(tenant: String?, requestedBy: String, status: String, durationMs: Int, report: String, now: Date) async throws -> ValidationRunRecord
    /// Newest first; `tenant: nil` lists every run (operators).
    func validationRuns(tenant: String?, limit: Int) async throws -> [ValidationRunRecord]
    func validationRun(id: String) async throws -> ValidationRunRecord?

    // MARK: Diagnostic runs (docs/DIAGNOSTICS.md "Running diagnostics")

    /// Queues a run; `.duplicate(entity: "active diagnostic run", name: <id of the active run>)`
    /// when the node already has one queued or running. The audit row is written in the same transaction.
    func createDiagnosticRun(
        tenant: String, node: String, kind: String, level: Int, requestedBy: String, acknowledged: Bool,
        timeoutSeconds: Int, gpus: Int, drain: Bool, audit: AuditNote?, now: Date
    ) async throws -> DiagnosticRunRecord
    func diagnosticRun(id: String) async throws -> DiagnosticRunRecord?
    /// Newest first; `nil` filters mean all.
    func diagnosticRuns(tenant: String?, node: String?, limit: Int) async throws -> [DiagnosticRunRecord]
    /// The node's oldest queued run, now running; `nil` when none waits.
    func claimDiagnosticRun(node: String, now: Date) async throws -> DiagnosticRunRecord?
    /// Appends streamed output to a running run of `node` and marks the agent's contact.
    func appendDiagnosticOutput(id: String, node: String, output: String, now: Date) async throws -> DiagnosticRunRecord
    /// Ends an active run (of `node`, when the agent reports it); an ended run throws `.invalid(field: "state")`.
    func finishDiagnosticRun(id: String, node: String?, _ end: DiagnosticRunEnd, now: Date) async throws -> DiagnosticRunRecord
    /// Queued: cancelled at once. Running: marked, the agent stops the tool and reports `cancelled`.
    func requestDiagnosticCancel(id: String, now: Date) async throws -> DiagnosticRunRecord
    /// Ends the active runs no agent drives any more (see `DiagnosticSweepLimits`); returns them.
    func sweepDiagnosticRuns(now: Date, limits: DiagnosticSweepLimits) async throws -> [DiagnosticRunRecord]
}

extension Store {
    /// `createAPIKey(userID:label:audit:)` without an audit entry.
    public func createAPIKey(userID: String, label: String) async throws -> (record: APIKeyRecord, plaintext: String) {
        try await createAPIKey(userID: userID, label: label, audit: nil)
    }

    /// `recordEvent(_:deduplicationWindow:)` with `GPUEvent.defaultDeduplicationWindow` (1 h).
    /// A heartbeat from an agent that reports no MIG GPUs.
    public func recordHeartbeat(node: String, agentVersion: String, intervalSeconds: Int, now: Date) async throws {
        try await recordHeartbeat(node: node, agentVersion: agentVersion, intervalSeconds: intervalSeconds, migGPUs: [], now: now)
    }

    public func recordEvent(_ occurrence: EventOccurrence) async throws -> GPUEvent {
        try await recordEvent(occurrence, deduplicationWindow: GPUEvent.defaultDeduplicationWindow)
    }
}
