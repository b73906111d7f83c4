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
/// stops every test and records it `cancelled`; tests a previous process left active are marked
/// `failed` when `run()` starts.
public final class LoadTestManager: Service, Sendable {
    public static let interruptedReason = "the server stopped while the test ran"
    public static let shutdownReason = "the server shut down while the test ran"

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
    private let submissions: AsyncStream<LoadTestJob>
    private let continuation: AsyncStream<LoadTestJob>.Continuation
    private let registry = LoadTestRegistry()

    public init(store: any Store, runner: LoadTestRunner = .generator, watchdog: Duration = .seconds(30 * 60),
                progressInterval: Duration = .seconds(1), logger: Logger = Logger(label: "aifactory.loadtests"),
                outbound: OutboundPolicy = OutboundPolicy(), limits: LoadTestLimits = LoadTestLimits()) {
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
            let failed = try await store.failActiveLoadTests(reason: Self.interruptedReason, createdBefore: created)
            if failed > 0 { logger.notice("marked \(failed) load test(s) of an earlier process failed") }
        } catch {
            logger.error("could not mark load tests of an earlier process failed: \(error)")
        }
        let registry = self.registry
        let continuation = self.continuation
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
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
