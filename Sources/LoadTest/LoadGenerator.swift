import AsyncHTTPClient
import NIOPosix
import Logging
import NIOCore
import Foundation

/// Drives an OpenAI-compatible server at a level and measures it.
///
/// One `HTTPClient` (HTTP/1.1, pooled keep-alive connections) serves every level, so connection
/// set-up happens during warm-up, not inside measured requests. Call `shutdown()` when done.
public final class LoadGenerator: Sendable {
    public let configuration: LoadTestConfiguration
    private let http: HTTPClient
    private let group: MultiThreadedEventLoopGroup
    private let client: StreamingClient
    private let bodies: RequestBodyBuilder

    public init(configuration: LoadTestConfiguration) {
        self.configuration = configuration
        var http = HTTPClient.Configuration()
        http.httpVersion = .http1Only
        http.decompression = .disabled
        http.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 8192
        http.timeout = .init(connect: .seconds(10))
        // A refused connection is a `connect` error now, not a retry loop until the deadline.
        http.connectionPool.retryConnectionEstablishment = false
        // One event-loop thread: every response is parsed and stamped there, and with one
        // thread there are no cross-thread wake-ups between connections (measured: less client
        // CPU per request, see docs/LOADTEST.md). A loopback client at the rates a 2-core
        // machine can drive never saturates one event loop.
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.http = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: http)
        client = StreamingClient(http: self.http, base: configuration.url, endpoint: configuration.endpoint,
                                 apiKey: configuration.apiKey, timeout: configuration.requestTimeout)
        bodies = RequestBodyBuilder(endpoint: configuration.endpoint, model: configuration.model,
                                    inputTokens: configuration.inputTokens, outputTokens: configuration.outputTokens,
                                    seed: configuration.seed)
    }

    /// Closes the connection pool.
    public func shutdown() async throws {
        try await http.shutdown()
        try await group.shutdownGracefully()
    }

    /// Runs warm-up, then the measured phase of `level`, and reports it.
    ///
    /// - Parameter progress: called about once a second with a snapshot (for the stderr line).
    public func run(level: Level, stop: StopSignal = StopSignal(), progress: @escaping @Sendable (ProgressSnapshot) -> Void = { _ in }) async -> LevelReport {
        let warmup = configuration.warmup(for: level)
        if warmup > 0 {
            _ = await phase(level: level, count: warmup, duration: nil, warmingUp: true, stop: stop, progress: progress)
        }
        let count = configuration.requests ?? (configuration.duration == nil ? configuration.defaultRequests(for: level) : nil)
        let (state, interrupted) = await phase(level: level, count: count, duration: configuration.duration,
                                               warmingUp: false, stop: stop, progress: progress)
        let collector = await state.collector
        let achieved = await state.achievedRate
        var fellBehind = false
        if case .rate(let rate, _) = level {
            let lagP99 = collector.lag.stats?.p99 ?? 0
            fellBehind = lagP99 > Self.lagLimitMilliseconds || (achieved.map { $0 < 0.95 * rate } ?? false)
        }
        return collector.report(level: level, interrupted: interrupted, achievedRate: level.isRate ? achieved : nil, fellBehind: fellBehind)
    }

    /// Rate mode falls behind when the p99 schedule lag exceeds this (or the achieved rate is
    /// under 95 % of the target).
    public static let lagLimitMilliseconds = 10.0

    /// Runs the sweep over `configuration.levels`, stopping early on `stop`.
    public func runSweep(stop: StopSignal = StopSignal(), progress: @escaping @Sendable (ProgressSnapshot) -> Void = { _ in }) async -> [LevelReport] {
        var reports: [LevelReport] = []
        for level in configuration.levels {
            let report = await run(level: level, stop: stop, progress: progress)
            reports.append(report)
            if report.interrupted { break }
        }
        return reports
    }

    /// `--search max-concurrency-under-slo`: `CapacitySearch` over concurrency levels up to `limit`.
    public func searchMaxConcurrency(limit: Int, stop: StopSignal = StopSignal(),
                                     progress: @escaping @Sendable (ProgressSnapshot) -> Void = { _ in }) async -> CapacitySearch.Result<LevelReport> {
        await CapacitySearch.maxConcurrency(limit: limit) { (concurrency: Int) -> (outcome: LevelReport, passed: Bool)? in
            let report = await self.run(level: .concurrency(concurrency), stop: stop, progress: progress)
            return report.interrupted ? nil : (report, report.meetsSLO)
        }
    }

    private func phase(level: Level, count: Int?, duration: Duration?, warmingUp: Bool, stop: StopSignal,
                       progress: @escaping @Sendable (ProgressSnapshot) -> Void) async -> (LevelState, Bool) {
        let stopwatch = Stopwatch()
        let endNanos = duration.map { d -> UInt64 in
            let (s, a) = d.components
            return UInt64(max(0, s)) * 1_000_000_000 + UInt64(max(0, a) / 1_000_000_000)
        }
        let state = LevelState(slo: configuration.slo, limit: count, endNanos: endNanos)
        let client = self.client
        let bodies = self.bodies
        let seed = configuration.seed
        let interrupted = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                switch level {
                case .concurrency(let workers):
                    await withDiscardingTaskGroup { workersGroup in
                        for _ in 0..<max(1, workers) {
                            workersGroup.addTask {
                                while !Task.isCancelled, let index = await state.take(now: stopwatch.now()) {
                                    let record = await client.send(body: bodies.body(index: index), inputTokens: bodies.inputTokens,
                                                                   scheduled: nil, stopwatch: stopwatch)
                                    await state.add(record)
                                }
                            }
                        }
                    }
                case .rate(let rate, let arrival):
                    await Self.openLoop(rate: rate, arrival: arrival, seed: seed, count: count, endNanos: endNanos,
                                        stopwatch: stopwatch, state: state, client: client, bodies: bodies)
                }
                return false
            }
            group.addTask {
                // Watches for SIGINT and prints progress; ends when cancelled.
                var ticks = 0
                while !Task.isCancelled {
                    if await stop.isTriggered { return true }
                    do { try await Task.sleep(for: .milliseconds(100)) } catch { return false }
                    ticks += 1
                    if ticks % 10 == 0 {
                        progress(await state.progress(level: level, warmingUp: warmingUp, target: count,
                                                      elapsedSeconds: Double(stopwatch.now()) / 1e9))
                    }
                }
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        progress(await state.progress(level: level, warmingUp: warmingUp, target: count, elapsedSeconds: Double(stopwatch.now()) / 1e9))
        return (state, interrupted)
    }

    /// Starts requests at scheduled instants, each in its own child task, whatever the server's
    /// completions; the lag (actual start − scheduled) is recorded per request.
    private static func openLoop(rate: Double, arrival: Level.Arrival, seed: UInt64, count: Int?, endNanos: UInt64?,
                                 stopwatch: Stopwatch, state: LevelState, client: StreamingClient, bodies: RequestBodyBuilder) async {
        var rng = SplitMix64(seed: seed ^ 0xA5A5_5A5A)
        let interval = 1e9 / rate
        var next = Double(stopwatch.now())
        await withDiscardingTaskGroup { group in
            var index = 0
            while !Task.isCancelled {
                if let count, index >= count { break }
                let scheduled = UInt64(next)
                if let endNanos, scheduled >= endNanos { break }
                if scheduled > stopwatch.now() {
                    do { try await Task.sleep(until: stopwatch.instant(at: scheduled), tolerance: .zero, clock: .continuous) } catch { break }
                }
                let requestIndex = index
                group.addTask {
                    let record = await client.send(body: bodies.body(index: requestIndex), inputTokens: bodies.inputTokens,
                                                   scheduled: scheduled, stopwatch: stopwatch)
                    await state.add(record)
                }
                index += 1
                switch arrival {
                case .constant: next += interval
                case .poisson: next += -Foundation.log(rng.unitInterval()) * interval
                }
            }
        }
    }
}

extension Level {
    var isRate: Bool {
        if case .rate = self { return true }
        return false
    }
}
