import Foundation
import NIOCore

/// Runs one phase of a level — its arrivals, its requests and its tally — on the client's event
/// loop.
///
/// Every request of a phase is scheduled, started, parsed and counted on the one event-loop
/// thread that also reads the responses. Driving them from Swift-concurrency tasks instead cost
/// four thread wake-ups per request (the sleep, the child task, the future's continuation, the
/// actor hop): measured, a third of the generator's CPU and part of its TTFT offset, since the
/// start stamp was taken a thread hop before the write (docs/LOADTEST.md).
///
/// Rate mode arms one event-loop timer per arrival; concurrency mode starts the next request
/// from the completion of the previous one. With `maxInFlight`, an arrival due while that many
/// requests are open waits for one to end (the schedule lag shows it, and the level reports that
/// it fell behind) instead of opening one more socket. `stop()` cancels what is in flight (those requests
/// count nowhere) and `finished` completes once nothing is left.
final class PhaseDriver: Sendable {
    /// The phase has no more requests to start and none in flight.
    let finished: EventLoopFuture<Void>
    private let loop: any EventLoop
    private let core: NIOLoopBoundBox<Core>

    init(level: Level, count: Int?, endNanos: UInt64?, seed: UInt64, slo: [SLO], stopwatch: Stopwatch,
         client: any RequestStarter, bodies: RequestBodyBuilder, loop: any EventLoop, maxInFlight: Int? = nil) {
        self.loop = loop
        let promise = loop.makePromise(of: Void.self)
        finished = promise.futureResult
        let state = LevelState(slo: slo, limit: level.isRate ? nil : count, endNanos: endNanos)
        core = .makeBoxSendingValue(Core(level: level, count: count, endNanos: endNanos, seed: seed, state: state,
                                         stopwatch: stopwatch, client: client, bodies: bodies, loop: loop, done: promise,
                                         maxInFlight: maxInFlight),
                                    eventLoop: loop)
    }

    /// Starts the phase (from any thread).
    func start() {
        let core = self.core
        loop.execute { core.value.begin() }
    }

    /// Stops starting requests and cancels those in flight (from any thread).
    func stop() {
        let core = self.core
        loop.execute { core.value.stop() }
    }

    /// The live progress line's figures, computed on the event loop (no copy of the histograms).
    func progress(warmingUp: Bool, target: Int?) async -> ProgressSnapshot? {
        let core = self.core
        return try? await loop.submit {
            let core = core.value
            return core.state.progress(level: core.level, warmingUp: warmingUp, target: target,
                                       elapsedSeconds: Double(core.stopwatch.now()) / 1e9)
        }.get()
    }

    /// The tally (call after `finished`; a copy taken on the event loop).
    func state() async -> LevelState {
        let core = self.core
        return (try? await loop.submit { core.value.state }.get()) ?? LevelState(slo: [], limit: 0, endNanos: nil)
    }

    /// Event-loop-confined state; only `PhaseDriver` reaches it, through `NIOLoopBoundBox`.
    private final class Core {
        let level: Level
        let count: Int?
        let endNanos: UInt64?
        var state: LevelState
        let stopwatch: Stopwatch
        let client: any RequestStarter
        let bodies: RequestBodyBuilder
        let loop: any EventLoop
        let done: EventLoopPromise<Void>
        /// In-flight requests by number; `nil` value while `start` has not returned yet.
        var inFlight: [Int: (any InFlightRequest)?] = [:]
        var stopping = false
        var noMoreStarts = false
        var isFinished = false
        // Rate mode: the arrival schedule.
        var rng: SplitMix64
        var next: Double = 0
        var index = 0
        var timer: Scheduled<Void>?
        /// True while `client.start` runs (its completion may run inside it).
        var starting = false
        /// Most requests open at once (`nil`: as many as the level asks).
        let maxInFlight: Int?
        /// Rate mode: an arrival is due but `maxInFlight` requests are open.
        var waitingForSlot = false

        private var bound: NIOLoopBound<Core> { NIOLoopBound(self, eventLoop: loop) }

        init(level: Level, count: Int?, endNanos: UInt64?, seed: UInt64, state: LevelState, stopwatch: Stopwatch,
             client: any RequestStarter, bodies: RequestBodyBuilder, loop: any EventLoop, done: EventLoopPromise<Void>,
             maxInFlight: Int?) {
            self.maxInFlight = maxInFlight.map { max(1, $0) }
            self.level = level
            self.count = count
            self.endNanos = endNanos
            self.state = state
            self.stopwatch = stopwatch
            self.client = client
            self.bodies = bodies
            self.loop = loop
            self.done = done
            rng = SplitMix64(seed: seed ^ 0xA5A5_5A5A)
        }

        func begin() {
            switch level {
            case .concurrency(let workers):
                for _ in 0..<min(max(1, workers), maxInFlight ?? Int.max) where !noMoreStarts { startNextWorkerRequest() }
            case .rate:
                next = Double(stopwatch.now())
                pumpArrivals()
            }
            finishIfIdle()
        }

        func stop() {
            guard !stopping else { return }
            stopping = true
            noMoreStarts = true
            timer?.cancel()
            timer = nil
            for case let task? in inFlight.values { task.cancel() }
            finishIfIdle()
        }

        /// Concurrency mode: one worker's next request, if the count and the time allow.
        private func startNextWorkerRequest() {
            guard !stopping, let number = state.take(now: stopwatch.now()) else {
                noMoreStarts = true
                return
            }
            startRequest(number: number, scheduled: nil)
        }

        /// Rate mode: starts every arrival that is due, then arms a timer for the next one.
        /// A backlog (the loop fell behind) is started in bursts of 64, so responses are still
        /// read between bursts.
        private func pumpArrivals() {
            guard case .rate(let rate, let arrival) = level else { return }
            let interval = 1e9 / rate
            var burst = 0
            while !stopping {
                if let count, index >= count { break }
                let scheduled = UInt64(next)
                if let endNanos, scheduled >= endNanos { break }
                let now = stopwatch.now()
                if scheduled > now {
                    let bound = self.bound
                    timer = loop.scheduleTask(in: .nanoseconds(Int64(scheduled - now))) { bound.value.pumpArrivals() }
                    return
                }
                if let maxInFlight, inFlight.count >= maxInFlight {
                    waitingForSlot = true
                    return
                }
                if burst == 64 {
                    let bound = self.bound
                    loop.execute { bound.value.pumpArrivals() }
                    return
                }
                burst += 1
                startRequest(number: index, scheduled: scheduled)
                index += 1
                switch arrival {
                case .constant: next += interval
                case .poisson: next += -Foundation.log(rng.unitInterval()) * interval
                }
            }
            noMoreStarts = true
            finishIfIdle()
        }

        private func startRequest(number: Int, scheduled: UInt64?) {
            inFlight[number] = .some(nil)
            let loopBound = bound
            starting = true
            defer { starting = false }
            let task = client.start(body: bodies.body(index: number), inputTokens: bodies.inputTokens, scheduled: scheduled,
                                    stopwatch: stopwatch, on: loop) { record in
                loopBound.value.completed(number: number, record: record)
            }
            // `completion` may already have run (a request that failed at once).
            if inFlight.index(forKey: number) != nil { inFlight[number] = .some(task) }
        }

        private func completed(number: Int, record: RequestRecord) {
            inFlight[number] = nil
            var record = record
            if stopping { record.cancelled = true }
            state.add(record)
            if case .concurrency = level {
                if starting {
                    // Failed inside `start`: start the next one from a fresh call stack, or a
                    // run of instant failures would recurse once per request.
                    let bound = self.bound
                    loop.execute {
                        bound.value.startNextWorkerRequest()
                        bound.value.finishIfIdle()
                    }
                    return
                }
                startNextWorkerRequest()
            } else if waitingForSlot {
                waitingForSlot = false
                // From a fresh call stack: this completion may run inside `client.start`.
                let bound = self.bound
                loop.execute { bound.value.pumpArrivals() }
                return
            }
            finishIfIdle()
        }

        private func finishIfIdle() {
            guard noMoreStarts, inFlight.isEmpty, !isFinished else { return }
            isFinished = true
            done.succeed(())
        }
    }
}
