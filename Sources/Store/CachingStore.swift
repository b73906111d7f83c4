public import Fleet
public import Foundation

/// A `Store` that answers the per-request reads (who is this key, which nodes exist, which pools
/// a tenant draws on) from memory for a short time.
///
/// Every API request needs the caller's identity and the inventory. Read from the database each
/// time, that is three serialized statements per request on SQLite's single connection, which
/// capped the overview at a few hundred requests per second. The inventory changes rarely and only
/// through this process's admin API, so:
/// - any write made through this store drops every cached answer before it returns (a revoked key
///   stops working on the next request, a registered node is listed at once);
/// - a change another replica on the same PostgreSQL commits arrives through `invalidate()`, which
///   `StoreChangeListener` calls from the database's change feed (`Cluster.watchChanges`);
/// - cached answers also expire after `timeToLive`, which bounds how long a change can go unseen
///   while that feed is down (or when something bypasses it);
/// - a read that raced a write never refills the cache with the older answer (generation check).
///
/// Only successful key lookups are cached, keyed by the key's hash, never the key itself. A key
/// served from memory does not move its `lastUsedAt`; that timestamp is coarse by design
/// (`SQLStore.lastUsedResolution`), and the cache lifetime is far shorter than that resolution.
public final class CachingStore: Store {
    /// The store every call is forwarded to.
    public let base: any Store
    /// How long an answer may be served from memory when nothing in this process changed it.
    public let timeToLive: Duration
    private let memory: Memory

    public var cluster: any Cluster { base.cluster }

    /// Drops every cached answer: another replica committed a change (`Cluster.watchChanges`).
    public func invalidate() async {
        await memory.invalidate()
    }

    public init(_ base: any Store, timeToLive: Duration = .seconds(2)) {
        self.base = base
        self.timeToLive = timeToLive
        self.memory = Memory()
    }

    // MARK: Cached reads

    public func authenticate(apiKey: String, now: Date) async throws -> (key: APIKeyRecord, user: User)? {
        let key = Key.authentication(APIKeyMaterial.hash(apiKey))
        if case .authentication(let record, let user)? = await memory.value(for: key, now: .now) { return (record, user) }
        let generation = await memory.generation
        guard let found = try await base.authenticate(apiKey: apiKey, now: now) else { return nil }
        await memory.store(.authentication(found.key, found.user), for: key, generation: generation, expires: .now + timeToLive)
        return found
    }

    public func nodes() async throws -> [NodeRecord] {
        if case .nodes(let nodes)? = await memory.value(for: .nodes, now: .now) { return nodes }
        let generation = await memory.generation
        let nodes = try await base.nodes()
        await memory.store(.nodes(nodes), for: .nodes, generation: generation, expires: .now + timeToLive)
        return nodes
    }

    public func node(named name: String) async throws -> NodeRecord? {
        try await nodes().first { $0.name == name }
    }

    public func subscriptions(tenant: String?) async throws -> [Subscription] {
        let all: [Subscription]
        if case .subscriptions(let cached)? = await memory.value(for: .subscriptions, now: .now) {
            all = cached
        } else {
            let generation = await memory.generation
            all = try await base.subscriptions(tenant: nil)
            await memory.store(.subscriptions(all), for: .subscriptions, generation: generation, expires: .now + timeToLive)
        }
        guard let tenant else { return all }
        return all.filter { $0.tenant == tenant }
    }

    public func user(id: String) async throws -> User? {
        if case .user(let user)? = await memory.value(for: .user(id), now: .now) { return user }
        let generation = await memory.generation
        guard let user = try await base.user(id: id) else { return nil }
        await memory.store(.user(user), for: .user(id), generation: generation, expires: .now + timeToLive)
        return user
    }

    public func apiKeys(userID: String) async throws -> [APIKeyRecord] {
        if case .apiKeys(let keys)? = await memory.value(for: .apiKeys(userID), now: .now) { return keys }
        let generation = await memory.generation
        let keys = try await base.apiKeys(userID: userID)
        await memory.store(.apiKeys(keys), for: .apiKeys(userID), generation: generation, expires: .now + timeToLive)
        return keys
    }

    // MARK: Writes: forwarded, then every cached answer is dropped

    /// Runs a write and forgets everything cached, even when the write failed part-way (the
    /// store's contract says nothing changed then, but forgetting is always safe).
    private func write<T>(_ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            await memory.invalidate()
            return result
        } catch {
            await memory.invalidate()
            throw error
        }
    }

    public func migrate() async throws { try await write { try await base.migrate() } }
    public func close() async throws {
        await memory.invalidate()
        try await base.close()
    }
    public func createTenant(name: String, displayName: String) async throws -> Tenant {
        try await write { try await base.createTenant(name: name, displayName: displayName) }
    }
    public func createUser(name: String, tenant: String?, kind: UserKind) async throws -> User {
        try await write { try await base.createUser(name: name, tenant: tenant, kind: kind) }
    }
    public func createAPIKey(userID: String, label: String, audit: AuditNote?) async throws -> (record: APIKeyRecord, plaintext: String) {
        try await write { try await base.createAPIKey(userID: userID, label: label, audit: audit) }
    }
    // Sessions are never cached (a signed-out cookie must stop working at once) and no cached
    // answer depends on them, so these pass straight through without dropping the cache.
    public func createSession(tokenHash: String, userID: String, keyID: String, expiresAt: Date, maxPerUser: Int) async throws {
        try await base.createSession(tokenHash: tokenHash, userID: userID, keyID: keyID, expiresAt: expiresAt, maxPerUser: maxPerUser)
    }
    public func session(tokenHash: String, now: Date) async throws -> SessionRecord? {
        try await base.session(tokenHash: tokenHash, now: now)
    }
    public func deleteSession(tokenHash: String) async throws { try await base.deleteSession(tokenHash: tokenHash) }
    public func sessionCount(userID: String) async throws -> Int { try await base.sessionCount(userID: userID) }
    public func revokeAPIKey(id: String, now: Date) async throws {
        try await write { try await base.revokeAPIKey(id: id, now: now) }
    }
    public func createPool(name: String, displayName: String) async throws -> Pool {
        try await write { try await base.createPool(name: name, displayName: displayName) }
    }
    public func registerNode(_ node: NodeRecord) async throws -> NodeRecord {
        try await write { try await base.registerNode(node) }
    }
    public func updateGPUUUIDs(node: String, uuids: [String]) async throws {
        try await write { try await base.updateGPUUUIDs(node: node, uuids: uuids) }
    }
    public func updateNodeEndpoints(node: String, dcgmAddress: String, dcgmPath: String, vllmAddress: String?, vllmPath: String?) async throws {
        try await write {
            try await base.updateNodeEndpoints(node: node, dcgmAddress: dcgmAddress, dcgmPath: dcgmPath, vllmAddress: vllmAddress, vllmPath: vllmPath)
        }
    }
    public func createSubscription(tenant: String, pool: String, plan: String, tokenQuota: Int, period: String) async throws -> Subscription {
        try await write { try await base.createSubscription(tenant: tenant, pool: pool, plan: plan, tokenQuota: tokenQuota, period: period) }
    }

    public func createEnrolmentToken(
        tenant: String, pool: String?, createdBy: String, expiresAt: Date, audit: AuditNote?
    ) async throws -> (record: EnrolmentToken, plaintext: String) {
        try await write { try await base.createEnrolmentToken(tenant: tenant, pool: pool, createdBy: createdBy, expiresAt: expiresAt, audit: audit) }
    }
    public func redeemEnrolmentToken(
        _ token: String, node: NodeRecord, agentVersion: String, heartbeatSeconds: Int, now: Date
    ) async throws -> (node: NodeRecord, credential: String) {
        try await write { try await base.redeemEnrolmentToken(token, node: node, agentVersion: agentVersion, heartbeatSeconds: heartbeatSeconds, now: now) }
    }
    /// A heartbeat moves the node's `agent.lastSeen`, which cached node lists carry.
    public func recordHeartbeat(node: String, agentVersion: String, intervalSeconds: Int, migGPUs: [Int], now: Date) async throws {
        try await write {
            try await base.recordHeartbeat(node: node, agentVersion: agentVersion, intervalSeconds: intervalSeconds, migGPUs: migGPUs, now: now)
        }
    }

    // MARK: Forwarded unchanged (not on the per-request path, or must always be current)

    public func tenant(named name: String) async throws -> Tenant? { try await base.tenant(named: name) }
    public func tenants() async throws -> [Tenant] { try await base.tenants() }
    public func users(tenant: String?) async throws -> [User] { try await base.users(tenant: tenant) }
    public func pools() async throws -> [Pool] { try await base.pools() }
    public func appendAudit(actor: String, action: String, target: String, detail: String) async throws {
        try await base.appendAudit(actor: actor, action: action, target: target, detail: detail)
    }
    public func auditLog(limit: Int) async throws -> [AuditEntry] { try await base.auditLog(limit: limit) }
    public func auditLog(_ filter: AuditFilter, limit: Int) async throws -> [AuditEntry] { try await base.auditLog(filter, limit: limit) }
    public func authenticateNode(credential: String) async throws -> String? { try await base.authenticateNode(credential: credential) }
    public func enrolmentTokens(tenant: String?) async throws -> [EnrolmentToken] { try await base.enrolmentTokens(tenant: tenant) }
    public func recordEvent(_ occurrence: EventOccurrence, deduplicationWindow: TimeInterval) async throws -> GPUEvent {
        try await base.recordEvent(occurrence, deduplicationWindow: deduplicationWindow)
    }
    public func events(nodes: [String], since: Date) async throws -> [GPUEvent] { try await base.events(nodes: nodes, since: since) }
    public func pruneEvents(before: Date) async throws -> Int { try await base.pruneEvents(before: before) }
    public func createLoadTest(tenant: String, node: String, requestedBy: String, plan: String) async throws -> LoadTestRecord {
        try await base.createLoadTest(tenant: tenant, node: node, requestedBy: requestedBy, plan: plan)
    }
    public func updateLoadTest(id: String, _ update: LoadTestUpdate) async throws -> LoadTestRecord {
        try await base.updateLoadTest(id: id, update)
    }
    public func loadTest(id: String) async throws -> LoadTestRecord? { try await base.loadTest(id: id) }
    public func loadTests(tenant: String?, limit: Int) async throws -> [LoadTestRecord] {
        try await base.loadTests(tenant: tenant, limit: limit)
    }
    public func failActiveLoadTests(reason: String, createdBefore: Date) async throws -> Int {
        try await base.failActiveLoadTests(reason: reason, createdBefore: createdBefore)
    }
    public func recordLoopBeat(name: String, holder: String, at: Date, error: String?) async throws {
        try await base.recordLoopBeat(name: name, holder: holder, at: at, error: error)
    }
    public func loopBeat(name: String) async throws -> LoopBeat? { try await base.loopBeat(name: name) }
    public func holdLoadTests(ids: [String], owner: String, now: Date) async throws -> [String] {
        try await base.holdLoadTests(ids: ids, owner: owner, now: now)
    }
    public func failOrphanedLoadTests(reason: String, silentSince: Date, unownedBefore: Date) async throws -> Int {
        try await base.failOrphanedLoadTests(reason: reason, silentSince: silentSince, unownedBefore: unownedBefore)
    }
    // The ledger is never cached: the quota must see every replica's writes.
    public func recordUsage(_ entry: UsageEntry) async throws -> Bool { try await base.recordUsage(entry) }
    public func recordUsage(_ entries: [UsageEntry]) async throws -> Int { try await base.recordUsage(entries) }
    public func usageTotals(tenant: String, since: Date) async throws -> UsageTotals {
        try await base.usageTotals(tenant: tenant, since: since)
    }
    public func removeNode(name: String) async throws { try await write { try await base.removeNode(name: name) } }
    public func removeSubscription(id: String) async throws { try await write { try await base.removeSubscription(id: id) } }
    public func removeTenant(name: String) async throws { try await write { try await base.removeTenant(name: name) } }
    public func removePool(name: String) async throws { try await write { try await base.removePool(name: name) } }
    public func removeUser(id: String) async throws { try await write { try await base.removeUser(id: id) } }
    public func setNodeDrain(node: String, reason: String?, at time: Date) async throws -> Bool {
        try await base.setNodeDrain(node: node, reason: reason, at: time)
    }
    public func nodeDrains() async throws -> [NodeDrain] { try await base.nodeDrains() }
    public func usageTotals(tenant: String?, pool: String?, since: Date) async throws -> UsageTotals {
        try await base.usageTotals(tenant: tenant, pool: pool, since: since)
    }
    public func usageBreakdown(tenant: String, pool: String?, from: Date, to: Date, bucketSeconds: Int) async throws -> UsageBreakdown {
        try await base.usageBreakdown(tenant: tenant, pool: pool, from: from, to: to, bucketSeconds: bucketSeconds)
    }
    // Validation runs are not cached: each is written once and read rarely.
    public func saveValidationRun(tenant: String?, requestedBy: String, status: String, durationMs: Int, report: String, now: Date) async throws -> ValidationRunRecord {
        try await base.saveValidationRun(tenant: tenant, requestedBy: requestedBy, status: status, durationMs: durationMs, report: report, now: now)
    }
    public func validationRuns(tenant: String?, limit: Int) async throws -> [ValidationRunRecord] {
        try await base.validationRuns(tenant: tenant, limit: limit)
    }
    public func validationRun(id: String) async throws -> ValidationRunRecord? { try await base.validationRun(id: id) }
    // Diagnostic runs are never cached: every read must see the agent's latest output and state.
    public func createDiagnosticRun(
        tenant: String, node: String, kind: String, level: Int, requestedBy: String, acknowledged: Bool,
        timeoutSeconds: Int, gpus: Int, drain: Bool, audit: AuditNote?, now: Date
    ) async throws -> DiagnosticRunRecord {
        try await base.createDiagnosticRun(
            tenant: tenant, node: node, kind: kind, level: level, requestedBy: requestedBy, acknowledged: acknowledged,
            timeoutSeconds: timeoutSeconds, gpus: gpus, drain: drain, audit: audit, now: now)
    }
    public func diagnosticRun(id: String) async throws -> DiagnosticRunRecord? { try await base.diagnosticRun(id: id) }
    public func diagnosticRuns(tenant: String?, node: String?, limit: Int) async throws -> [DiagnosticRunRecord] {
        try await base.diagnosticRuns(tenant: tenant, node: node, limit: limit)
    }
    public func claimDiagnosticRun(node: String, now: Date) async throws -> DiagnosticRunRecord? {
        try await base.claimDiagnosticRun(node: node, now: now)
    }
    public func appendDiagnosticOutput(id: String, node: String, output: String, now: Date) async throws -> DiagnosticRunRecord {
        try await base.appendDiagnosticOutput(id: id, node: node, output: output, now: now)
    }
    public func finishDiagnosticRun(id: String, node: String?, _ end: DiagnosticRunEnd, now: Date) async throws -> DiagnosticRunRecord {
        try await base.finishDiagnosticRun(id: id, node: node, end, now: now)
    }
    public func requestDiagnosticCancel(id: String, now: Date) async throws -> DiagnosticRunRecord {
        try await base.requestDiagnosticCancel(id: id, now: now)
    }
    public func sweepDiagnosticRuns(now: Date, limits: DiagnosticSweepLimits) async throws -> [DiagnosticRunRecord] {
        try await base.sweepDiagnosticRuns(now: now, limits: limits)
    }
}

extension CachingStore {
    enum Key: Hashable {
        case authentication(String)
        case nodes
        case subscriptions
        case user(String)
        case apiKeys(String)
    }

    enum Value: Sendable {
        case authentication(APIKeyRecord, User)
        case nodes([NodeRecord])
        case subscriptions([Subscription])
        case user(User)
        case apiKeys([APIKeyRecord])
    }

    /// The cached answers and the write generation that guards them.
    actor Memory {
        private(set) var generation: UInt64 = 0
        private var entries: [Key: (value: Value, expires: ContinuousClock.Instant)] = [:]

        func value(for key: Key, now: ContinuousClock.Instant) -> Value? {
            guard let entry = entries[key] else { return nil }
            guard entry.expires > now else {
                entries[key] = nil
                return nil
            }
            return entry.value
        }

        /// Stores `value` unless a write happened since `generation` was read (the value may
        /// predate that write).
        func store(_ value: Value, for key: Key, generation: UInt64, expires: ContinuousClock.Instant) {
            guard generation == self.generation else { return }
            entries[key] = (value, expires)
        }

        func invalidate() {
            generation &+= 1
            entries.removeAll(keepingCapacity: true)
        }
    }
}
