public import Logging
public import ServiceLifecycle
public import Store
public import Telemetry

/// Runs the event recorder's poll loop as a member of a service group.
///
/// `Telemetry` stays free of ServiceLifecycle; this wrapper turns graceful shutdown into the
/// cancellation the loop ends on. With a shared database (`Cluster.isShared`, replicas on
/// PostgreSQL) the loop runs only on the replica holding the `eventRecorder` lease, so each
/// XID becomes one event however many replicas run; the others wait to take over.
public struct EventRecorderService: Service {
    public let recorder: EventRecorder
    public let interval: Duration
    public let cluster: any Cluster
    let logger: Logger

    public init(recorder: EventRecorder, interval: Duration, cluster: any Cluster = SingleProcessCluster(),
                logger: Logger = Logger(label: "aifactory.events")) {
        self.recorder = recorder
        self.interval = interval
        self.cluster = cluster
        self.logger = logger
    }

    public func run() async throws {
        let (recorder, interval) = (self.recorder, self.interval)
        try await cancelWhenGracefulShutdown {
            try await cluster.leading(.eventRecorder, retry: .seconds(2), logger: logger) {
                try await recorder.run(every: interval)
            }
        }
    }
}

/// Keeps a `CachingStore` in step with the other replicas: every change they commit to the
/// cached tables drops its answers at once (`Cluster.watchChanges`), instead of after its
/// time-to-live. A no-op on a database no one else shares.
public struct StoreChangeListener: Service {
    public let store: CachingStore
    let logger: Logger

    public init(store: CachingStore, logger: Logger = Logger(label: "aifactory.store")) {
        self.store = store
        self.logger = logger
    }

    public func run() async throws {
        let store = self.store
        guard store.cluster.isShared else {
            // Nothing to listen to; a service that returned would end the whole group.
            try? await gracefulShutdown()
            return
        }
        do {
            try await cancelWhenGracefulShutdown {
                try await store.cluster.watchChanges(logger: logger) { await store.invalidate() }
            }
        } catch is CancellationError {
            return
        }
    }
}
