public import Factory
public import Fleet
public import LoadTestService
public import Foundation
public import PrometheusClient
public import Store
public import Telemetry

/// The live collaborators of the server, injected so tests can pass fakes or temp databases.
public struct ServerDependencies: Sendable {
    public var store: any Store
    public var sessions: SessionStore
    public var limiter: FailedAuthLimiter
    /// Per-identity limit on the expensive reads (reliability, alerts, trends, node checks).
    public var expensiveReads: ExpensiveReadLimiter
    /// Bearer token Prometheus presents to `/sd/prometheus`; `nil` disables the endpoint.
    public var serviceDiscoveryToken: String?
    /// How often Prometheus re-reads service discovery (reported by the connection check hints).
    public var serviceDiscoveryRefresh: Duration
    /// The metrics backend (checked query types only); `nil` when none is configured.
    public let metrics: (any RangeMetricsBackend)?
    /// Where active alerts come from; `nil` when no Prometheus is configured.
    public let alertSource: (any AlertSource)?
    /// The read model's per-interval readers and caches, made once so every request shares them.
    public let readers: ReadModel.Readers
    public var now: @Sendable () -> Date
    /// Runs load tests (`/api/v1/factory/loadtests`); `nil` answers 503 "load tests are not enabled".
    public var loadTests: LoadTestManager?
    /// How often an enrolled agent is told to send its heartbeat (`POST /api/v1/agent/enroll`).
    public var agentHeartbeatSeconds: Int = 30
    /// When an active diagnostic run no agent drives is ended (docs/DIAGNOSTICS.md).
    public var diagnosticLimits = DiagnosticSweepLimits()
    /// Longest an agent's job poll is held open before it answers 204.
    public var diagnosticPollMax: Duration = .seconds(20)
    /// Build, retention, targets, rules and Alertmanagers of the metrics backend, for the
    /// self-check (`nil`: those checks are skipped; tests pass fakes).
    public var stackProbe: (any StackProbe)?
    /// The Alertmanager the metrics backend sends alerts to (the self-check follows the Watchdog
    /// there); `nil`: the alert-path checks say none is configured.
    public var alertmanagerURL: String?
    /// The event recorder's heartbeat (`nil` where no recorder runs, e.g. without Prometheus).
    public var eventRecorderHeartbeat: LoopHeartbeat?
    /// Wakes agents' job polls when a run is queued (shared by every copy of these dependencies).
    let diagnosticsSignal = DiagnosticsSignal()

    var diagnosticsCoordinator: DiagnosticsCoordinator {
        DiagnosticsCoordinator(store: store, signal: diagnosticsSignal, limits: diagnosticLimits, now: now)
    }

    /// With a Prometheus-compatible backend (or none), as `serve` and the demo run.
    public init(
        store: any Store,
        sessions: SessionStore = SessionStore(),
        limiter: FailedAuthLimiter = FailedAuthLimiter(),
        serviceDiscoveryToken: String? = nil,
        serviceDiscoveryRefresh: Duration = .seconds(30),
        prometheus: PrometheusClient? = nil,
        healthRefresh: Duration = .seconds(15),
        healthModel: HealthModel = HealthModel(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(
            store: store, sessions: sessions, limiter: limiter, serviceDiscoveryToken: serviceDiscoveryToken,
            serviceDiscoveryRefresh: serviceDiscoveryRefresh, metrics: prometheus, alertSource: prometheus,
            healthRefresh: healthRefresh, healthModel: healthModel, now: now)
        stackProbe = prometheus
        prometheusAPI = prometheus
    }

    /// With any metrics backend and alert source (tests pass canned ones).
    public init(
        store: any Store,
        sessions: SessionStore = SessionStore(),
        limiter: FailedAuthLimiter = FailedAuthLimiter(),
        serviceDiscoveryToken: String? = nil,
        serviceDiscoveryRefresh: Duration = .seconds(30),
        metrics: (any RangeMetricsBackend)?,
        alertSource: (any AlertSource)?,
        healthRefresh: Duration = .seconds(15),
        healthModel: HealthModel = HealthModel(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.sessions = sessions
        self.limiter = limiter
        self.expensiveReads = ExpensiveReadLimiter()
        self.serviceDiscoveryToken = serviceDiscoveryToken
        self.serviceDiscoveryRefresh = serviceDiscoveryRefresh
        self.metrics = metrics
        self.alertSource = alertSource
        self.readers = ReadModel.Readers(metrics: metrics, model: healthModel, refresh: healthRefresh)
        self.now = now
    }

    /// The "validate observability stack" self-check over these collaborators.
    public var stackValidator: StackValidator {
        StackValidator(
            store: store, metrics: metrics, alertSource: alertSource, probe: stackProbe,
            alertmanager: alertmanagerURL.map { AlertmanagerClient(baseURL: $0) }, eventRecorder: eventRecorderHeartbeat, now: now)
    }

    /// The tenant read model over these collaborators (a cheap value: the caches live in `readers`).
    public var readModel: ReadModel {
        var model = ReadModel(store: store, metrics: metrics, alertSource: alertSource, readers: readers, now: now)
        model.prices = prices
        model.relay = prometheusAPI
        return model
    }

    /// Where the tenant-scoped Prometheus API (`/prometheus/api/v1/…`) relays its reads: the
    /// configured Prometheus; `nil` answers 503 there (docs/PROMETHEUS-API.md).
    public var prometheusAPI: (any PrometheusAPIRelay)?

    /// The site's prices for `GET /api/v1/factory/costs` (`serve --prices FILE`).
    public var prices: PriceSheet = .defaults
}
