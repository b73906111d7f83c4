import Fleet
import Foundation
public import LoadTest
public import Logging
public import ServiceLifecycle
public import Store

/// The owner of every running load test (docs/FACTORY-API.md "Load tests").
///
/// Routes store a `queued` test and `submit` it; `run()` takes submissions from an `AsyncStream`
/// into a task group, so each test is a child task of this service and nothing runs detached.
/// Per test it runs the runner, persists progress at most once per `progressInterval`, and a
/// watchdog stops it after `watchdog` whatever the plan said. `cancel` triggers the test's
/// `StopSignal`; the test is recorded `cancelled` once the runner has returned. Graceful shutdown
/// stops every test and records it `cancelled`.
///
/// Replicas on one database (docs/DEPLOY.md "Replicas"): each manager is a replica with its own
/// id. Every `heartbeat` it records itself as the owner of the tests it runs (`holdLoadTests`) and
/// stops any of them that another replica cancelled (the cancel route records it there), and it
/// fails tests whose owner has been silent for `orphanAfter` (a replica that died). On a database
/// no one else shares, tests a previous process left active are failed at once when `run()` starts.
public final class LoadTestManager: Service, Sendable {
    public static let interruptedReason = "the server stopped while the test ran"
    public static let shutdownReason = "the server shut down while the test ran"
    public static let orphanedReason = "the server replica running the test stopped answering"

    let store: any Store
    let runner: LoadTestRunner
    let watchdog: Duration
    let progressInterval: Duration
    let logger: Logger
    /// Addresses tests may reach (`serve --allow-targets`); stamped on every job.
    let outbound: OutboundPolicy
    let limits: LoadTestLimits
    /// Tests created before this instant belong to an earlier process.
    private let created: Date
    /// This process among the replicas: the owner recorded on the tests it runs.
    package let replica: String
    let heartbeat: Duration
    let orphanAfter: Duration
    private let submissions: AsyncStream<LoadTestJob>
    private let continuation: AsyncStream<LoadTestJob>.Continuation
    private let registry = LoadTestRegistry()

    public init(store: any Store, runner: LoadTestRunner = .generator, watchdog: Duration = .seconds(30 * 60),
                progressInterval: Duration = .seconds(1), logger: Logger = Logger(label: "aifactory.loadtests"),
                outbound: OutboundPolicy = OutboundPolicy(), limits: LoadTestLimits = LoadTestLimits(),
                heartbeat: Duration = .seconds(5), orphanAfter: Duration = .seconds(30)) {
        self.replica = "r_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        self.heartbeat = heartbeat
        self.orphanAfter = max(orphanAfter, heartbeat * 3)
        self.store = store
        self.outbound = outbound
        self.limits = limits
        self.runner = runner
        self.watchdog = watchdog
        self.progressInterval = progressInterval
        self.logger = logger
        self.created = Date()
        let (submissions, continuation) = AsyncStream.makeStream(of: LoadTestJob.self)
        self.submissions = submissions
        self.continuation = continuation
    }

    public func run() async throws {
        do {
            // Alone on the database, whatever is active was this server's before it stopped.
            let failed = store.cluster.isShared
                ? try await store.failOrphanedLoadTests(
                    reason: Self.interruptedReason, silentSince: Date() - orphanAfter.timeInterval, unownedBefore: created)
                : try await store.failActiveLoadTests(reason: Self.interruptedReason, createdBefore: created)
            if failed > 0 { logger.notice("marked \(failed) load test(s) of an earlier process failed") }
        } catch {
            logger.error("could not mark load tests of an earlier process failed: \(error)")
        }
        let registry = self.registry
        let continuation = self.continuation
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.keepOwnership() }
                for await job in submissions {
                    group.addTask { await self.execute(job) }
                }
                // Shutdown (graceful or cancellation): stop every test; the group waits for them.
                for signal in registry.stopAll() { await signal.trigger() }
            }
        } onGracefulShutdown: {
            registry.beginShutdown()
            continuation.finish()
        }
    }

    /// The replica's heartbeat until shutdown: owns its running tests, stops those ended through
    /// another replica, and fails the tests of replicas that went silent.
    private func keepOwnership() async {
        // The first beat one interval in: `run()` has just swept, and nothing runs yet.
        var next = ContinuousClock.now + heartbeat
        while !registry.isShuttingDown {
            // Short naps, so shutdown never waits a whole heartbeat for this loop.
            if ContinuousClock.now < next {
                try? await Task.sleep(for: .milliseconds(200))
                continue
            }
            next = ContinuousClock.now + heartbeat
            await holdRunning()
            guard store.cluster.isShared else { continue }
            let silent = Date() - orphanAfter.timeInterval
            do {
                let failed = try await store.failOrphanedLoadTests(reason: Self.orphanedReason, silentSince: silent, unownedBefore: silent)
                if failed > 0 { logger.notice("marked \(failed) load test(s) of a silent replica failed") }
            } catch {
                logger.warning("could not sweep load tests of silent replicas: \(error)")
            }
        }
    }

    /// Records this replica as the owner of what it runs; stops tests that ended elsewhere.
    private func holdRunning() async {
        let ids = registry.ids
        guard !ids.isEmpty else { return }
        do {
            for id in try await store.holdLoadTests(ids: ids, owner: replica, now: Date()) {
                logger.notice("load test \(id) was ended through another replica; stopping it here")
                if let signal = registry.requestStop(id, reason: .endedElsewhere) { await signal.trigger() }
            }
        } catch {
            logger.warning("could not record this replica's load tests: \(error)")
        }
    }

    /// Whether one more test may start now (checked before a test is stored; `submit` checks again).
    package var hasCapacity: Bool { registry.count < limits.maxConcurrentTests }

    /// The refusal when `limits.maxConcurrentTests` tests already run (503 with `Retry-After`).
    package var busy: LoadTestServiceError { .busy(maxConcurrentTests: limits.maxConcurrentTests) }

    /// Hands a stored `queued` test to the running service, with the server's outbound policy and
    /// caps applied (requests in flight, request timeout).
    /// - Throws: `LoadTestServiceError` when the manager is shutting down or runs as many tests as
    ///   it may (the record is marked failed).
    package func submit(_ job: LoadTestJob) async throws {
        var job = job
        job.outbound = outbound
        job.configuration.maxInFlight = limits.maxInFlightPerTest
        job.configuration.requestTimeout = min(job.configuration.requestTimeout, limits.requestTimeout)
        guard registry.register(job.id, limit: limits.maxConcurrentTests) else {
            _ = try? await store.updateLoadTest(id: job.id, LoadTestUpdate(status: .failed, error: "the server was running as many load tests as it may"))
            throw busy
        }
        if registry.isShuttingDown {
            registry.remove(job.id)
        } else if case .enqueued = continuation.yield(job) {
            return
        } else {
            registry.remove(job.id)
        }
        _ = try? await store.updateLoadTest(id: job.id, LoadTestUpdate(status: .failed, error: Self.shutdownReason))
        throw LoadTestServiceError.shuttingDown
    }

    /// Asks a test of this process to stop; `false` when this process does not run it.
    package func cancel(id: String) async -> Bool {
        guard let signal = registry.requestStop(id, reason: .cancelled) else { return false }
        await signal.trigger()
        return true
    }

    /// Ends `run()` without a ServiceGroup (tests): running tests are stopped and recorded.
    package func finish() {
        registry.beginShutdown()
        continuation.finish()
    }

    /// The OpenAI base URL of a node: `http://<vllmAddress><vllmPath without "/metrics">`
    /// (vLLM serves `/metrics` and `/v1` on one port; the simulator mounts `/v1` next to its
    /// `/nodes/<node>/vllm/metrics`).
    package static func openAIBase(address: String, path: String?) -> String {
        NodeRecord.openAIBase(address: address, path: path)
    }

    private func execute(_ job: LoadTestJob) async {
        guard let stop = registry.signal(job.id) else { return }
        if registry.isShuttingDown || registry.reason(job.id) != nil || Task.isCancelled {
            let reason = registry.isShuttingDown ? LoadTestRegistry.StopReason.shutdown : registry.reason(job.id) ?? .shutdown
            registry.remove(job.id)
            await record(job.id, LoadTestUpdate(status: .cancelled, error: reason == .shutdown ? Self.shutdownReason : nil))
            return
        }
        // Owned before it runs, so no other replica's sweep takes it for an orphan.
        if let ended = try? await store.holdLoadTests(ids: [job.id], owner: replica, now: Date()), !ended.isEmpty {
            registry.remove(job.id)
            return
        }
        await record(job.id, LoadTestUpdate(status: .running))
        let collector = LoadTestCollector()
        let events = LoadTestEvents(progress: { collector.progress($0) }, level: { collector.level($0) }, model: { collector.model($0) })
        let runner = self.runner
        let registry = self.registry
        let (watchdog, interval) = (self.watchdog, self.progressInterval)
        // The writer is never cancelled mid-write (a cancelled store transaction can leave the
        // connection unusable): it stops by itself once the run is over. Only the watchdog is
        // cancelled, in the inner group.
        let outcome: Result<LoadTestOutcome, any Error> = await withTaskGroup(of: Result<LoadTestOutcome, any Error>?.self) { outer in
            outer.addTask {
                while !collector.isFinished {
                    do { try await Task.sleep(for: interval) } catch { return nil }
                    if !collector.isFinished, let update = collector.pendingUpdate() { await self.record(job.id, update) }
                }
                return nil
            }
            outer.addTask {
                let outcome = await withTaskGroup(of: Result<LoadTestOutcome, any Error>?.self) { group in
                    group.addTask {
                        do { return .success(try await runner.run(job, stop, events)) } catch { return .failure(error) }
                    }
                    group.addTask {
                        do { try await Task.sleep(for: watchdog) } catch { return nil }
                        if let signal = registry.requestStop(job.id, reason: .watchdog) { await signal.trigger() }
                        return nil
                    }
                    var outcome: Result<LoadTestOutcome, any Error> = .failure(CancellationError())
                    for await value in group {
                        guard let value else { continue }
                        outcome = value
                        group.cancelAll()
                    }
                    return outcome
                }
                collector.markFinished()
                return outcome
            }
            var outcome: Result<LoadTestOutcome, any Error> = .failure(CancellationError())
            for await value in outer {
                if let value { outcome = value }
            }
            return outcome
        }
        let reason = registry.remove(job.id)
        var update = LoadTestUpdate()
        if case .success(let result) = outcome {
            collector.finish(result, searchLimit: job.searchLimit)
        }
        update.result = collector.resultJSON()
        update.progress = collector.progressJSON()
        switch (reason, outcome) {
        case (.endedElsewhere?, _):
            return  // its final status is already recorded
        case (.cancelled?, _):
            update.status = .cancelled
        case (.shutdown?, _):
            update.status = .cancelled
            update.error = Self.shutdownReason
        case (.watchdog?, _):
            update.status = .failed
            let seconds = watchdog.components.seconds
            update.error = "stopped by the watchdog after " + (seconds >= 60 ? "\(seconds / 60) minutes" : "\(seconds) s")
        case (nil, .failure(let error)):
            update.status = .failed
            update.error = Self.message(error)
            logger.notice("load test \(job.id) failed: \(error)")
        case (nil, .success):
            update.status = .succeeded
        }
        await record(job.id, update)
    }

    private func record(_ id: String, _ update: LoadTestUpdate) async {
        do {
            _ = try await store.updateLoadTest(id: id, update)
        } catch {
            logger.error("could not record load test \(id): \(error)")
        }
    }

    /// A message safe to show: the library's own errors read as API field errors; anything
    /// else is generic (the cause goes to the log).
    static func message(_ error: any Error) -> String {
        if let error = error as? LoadTestError { return "\(error.field.name): \(error.field.message)" }
        if let error = error as? OutboundRefusal { return error.description }
        if let error = error as? LoadTestServiceError { return error.description }
        return "the load test could not run; see the server log"
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`, for dates.
    fileprivate var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
