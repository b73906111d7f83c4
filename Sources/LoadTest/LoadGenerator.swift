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
    private let loop: any EventLoop
    private let client: any RequestStarter
    private let bodies: RequestBodyBuilder

    /// Which HTTP client carries the requests (tests run both through the same scenarios).
    enum Carrier {
        /// `WireClient` for `http://`, AsyncHTTPClient for `https://`.
        case automatic
        case asyncHTTPClient
    }

    public convenience init(configuration: LoadTestConfiguration) {
        self.init(configuration: configuration, carrier: .automatic)
    }

    init(configuration: LoadTestConfiguration, carrier: Carrier) {
        self.configuration = configuration
        var http = HTTPClient.Configuration()
        http.httpVersion = .http1Only
        http.decompression = .disabled
        http.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 8192
        http.timeout = .init(connect: .seconds(10))
        // A refused connection is a `connect` error now, not a retry loop until the deadline.
        http.connectionPool.retryConnectionEstablishment = false
        // A load test measures the endpoint it was given; a redirect is an error, not a detour.
        http.redirectConfiguration = .disallow
        // Connect only to the address the outbound policy approved (TLS still verifies the name).
        if let pinned = configuration.pinnedAddress { http.dnsOverride = [pinned.host: pinned.address] }
        // One event-loop thread: every response is parsed and stamped there, and with one
        // thread there are no cross-thread wake-ups between connections (measured: less client
        // CPU per request, see docs/LOADTEST.md). A loopback client at the rates a 2-core
        // machine can drive never saturates one event loop.
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.http = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: http)
        loop = group.next()
        // Plain http (the measured path) goes through `WireClient`; https through AsyncHTTPClient.
        let url = StreamingClient.url(base: configuration.url, endpoint: configuration.endpoint)
        let wire = carrier == .automatic
            ? WireClient(url: url, apiKey: configuration.apiKey, timeout: configuration.requestTimeout, loop: loop,
                         pinned: configuration.pinnedAddress) : nil
        client = wire ?? StreamingClient(http: self.http, base: configuration.url, endpoint: configuration.endpoint,
                               apiKey: configuration.apiKey, timeout: configuration.requestTimeout)
        bodies = RequestBodyBuilder(endpoint: configuration.endpoint, model: configuration.model,
                                    inputTokens: configuration.inputTokens, outputTokens: configuration.outputTokens,
                                    seed: configuration.seed)
    }

    /// Connections the plain-http client opened (`nil` on AsyncHTTPClient).
    func connectionsOpened() async -> Int? {
        await (client as? WireClient)?.connectionsOpened()
    }

    /// Closes the connection pool.
    public func shutdown() async throws {
        await client.shutdown()
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
        let collector = state.collector
        let achieved = state.achievedRate
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
        let driver = PhaseDriver(level: level, count: count, endNanos: endNanos, seed: configuration.seed, slo: configuration.slo,
                                 stopwatch: stopwatch, client: client, bodies: bodies, loop: loop,
                                 maxInFlight: configuration.maxInFlight)
        let interrupted = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    driver.start()
                    try? await driver.finished.get()
                } onCancel: {
                    driver.stop()
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
                    if ticks % 10 == 0, let snapshot = await driver.progress(warmingUp: warmingUp, target: count) {
                        progress(snapshot)
                    }
                }
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        let state = await driver.state()
        progress(state.progress(level: level, warmingUp: warmingUp, target: count, elapsedSeconds: Double(stopwatch.now()) / 1e9))
        return (state, interrupted)
    }
}

extension Level {
    var isRate: Bool {
        if case .rate = self { return true }
        return false
    }
}
