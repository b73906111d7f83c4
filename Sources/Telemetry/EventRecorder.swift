public import Fleet
public import Foundation
public import Logging
import PromQL
import PrometheusClient
public import Store

/// The background loop behind the event history (docs/EVENTS.md): polls every tenant's nodes,
/// detects transitions, stores them de-duplicated, and prunes what is older than the retention.
///
/// Each poll, for every tenant that holds nodes in the store:
/// 1. builds the tenant's snapshots with `SnapshotBuilder` (queries scoped by `TenantScope`),
/// 2. evaluates the `HealthModel`,
/// 3. runs `EventDetector` against the node's previous snapshot (kept in memory),
/// 4. records every occurrence with `Store.recordEvent` (de-duplicated there).
///
/// Then events whose `lastSeen` is older than `retention` are deleted.
///
/// A restart loses only the in-memory previous snapshots: the first poll afterwards has no
/// previous snapshot, re-reports XID changes of the window with their sample times (which the
/// store already has, so nothing is counted twice) and reports ongoing states as continuations.
///
/// Free of ServiceLifecycle: `run(every:)` loops until its task is cancelled; the caller wraps it
/// in a service.
public struct EventRecorder: Sendable {
    public let store: any Store
    public let backend: any MetricsBackend
    public var model: HealthModel
    public var detector: EventDetector
    /// How long events are kept after their `lastSeen` (default 30 days).
    public var retention: Duration
    /// Occurrences this close to an event's `lastSeen` fold into it (default 1 h).
    public var deduplicationWindow: Duration
    public var logger: Logger
    /// Beats after every poll (the self-check reads when the last one ran).
    public var heartbeat: LoopHeartbeat?
    private let previous: PreviousSnapshots

    public init(
        store: any Store, backend: any MetricsBackend, model: HealthModel = HealthModel(),
        retention: Duration = .seconds(30 * 24 * 3600), deduplicationWindow: Duration = .seconds(3600),
        logger: Logger = Logger(label: "aifactory.events")
    ) {
        self.store = store
        self.backend = backend
        self.model = model
        self.detector = EventDetector(limits: model.limits)
        self.retention = retention
        self.deduplicationWindow = deduplicationWindow
        self.logger = logger
        self.previous = PreviousSnapshots()
    }

    /// One poll at `now`; returns the events written or touched (for logs and tests).
    ///
    /// A tenant whose metrics cannot be read is logged and skipped (its previous snapshots stay,
    /// so the next good poll compares against the last good one). Store errors are thrown.
    @discardableResult
    public func pollOnce(now: Date) async throws -> [GPUEvent] {
        let byTenant = Dictionary(grouping: try await store.nodes(), by: \.holding.tenant)
        let window = Self.seconds(deduplicationWindow)
        var recorded: [GPUEvent] = []
        for tenant in byTenant.keys.sorted() {
            guard let nodes = byTenant[tenant]?.sorted(by: { $0.name < $1.name }) else { continue }
            let snapshots: [NodeSnapshot]
            do {
                let builder = SnapshotBuilder(backend: backend, scope: try TenantScope(tenant: tenant))
                snapshots = try await builder.snapshots(for: nodes, at: now)
            } catch {
                logger.warning("event poll skipped a tenant", metadata: [ScopeLabel.tenant: "\(tenant)", "error": "\(error)"])
                continue
            }
            for snapshot in snapshots {
                let health = model.evaluate(snapshot)
                let before = await previous.swap(snapshot)
                for occurrence in detector.detect(previous: before, current: snapshot, health: health) {
                    recorded.append(try await store.recordEvent(occurrence, deduplicationWindow: window))
                }
            }
        }
        let pruned = try await store.pruneEvents(before: now.addingTimeInterval(-Self.seconds(retention)))
        if pruned > 0 { logger.info("pruned old GPU events", metadata: ["count": "\(pruned)"]) }
        return recorded
    }

    /// The loop's name in `Store.loopBeat(name:)`.
    public static let loopName = "event-recorder"

    /// This process among the replicas, as the self-check names it.
    static let holder = "\(ProcessInfo.processInfo.hostName) pid \(ProcessInfo.processInfo.processIdentifier)"

    /// Polls every `interval` until the task is cancelled; a failed poll is logged and retried next time.
    public func run(every interval: Duration, now: @escaping @Sendable () -> Date = { Date() }) async throws {
        while !Task.isCancelled {
            var failure: String?
            do {
                try await pollOnce(now: now())
            } catch is CancellationError {
                return
            } catch {
                logger.error("event poll failed", metadata: ["error": "\(error)"])
                failure = "\(error)"
            }
            heartbeat?.beat(at: now(), error: failure)
            if store.cluster.isShared {
                // Replicas: only this one runs the loop; every replica's self-check reads this.
                try? await store.recordLoopBeat(name: Self.loopName, holder: Self.holder, at: now(), error: failure)
            }
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
        }
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let parts = duration.components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}

/// The last snapshot of each node, for the detector's comparison.
actor PreviousSnapshots {
    private var byNode: [String: NodeSnapshot] = [:]

    /// Stores `snapshot` and returns the one it replaces.
    func swap(_ snapshot: NodeSnapshot) -> NodeSnapshot? {
        defer { byNode[snapshot.node] = snapshot }
        return byNode[snapshot.node]
    }
}
