import Foundation
import LoadTest

/// The stop signals of the tests this process runs, and why each was asked to stop.
///
/// Lock-based (not an actor) because the graceful-shutdown handler is synchronous.
final class LoadTestRegistry: @unchecked Sendable {
    enum StopReason: Sendable, Equatable {
        /// `endedElsewhere`: its record reached a final status through another replica.
        case cancelled, shutdown, watchdog, endedElsewhere
    }

    private let lock = NSLock()
    private var entries: [String: (signal: StopSignal, reason: StopReason?)] = [:]
    private var shuttingDown = false

    var isShuttingDown: Bool { lock.withLock { shuttingDown } }

    /// Tests registered (running or about to).
    var count: Int { lock.withLock { entries.count } }

    /// Their ids.
    var ids: [String] { lock.withLock { Array(entries.keys) } }

    /// Registers `id` unless `limit` tests are registered already; `false` when full.
    func register(_ id: String, limit: Int = .max) -> Bool {
        lock.withLock {
            guard entries.count < limit else { return false }
            entries[id] = (StopSignal(), nil)
            return true
        }
    }

    func signal(_ id: String) -> StopSignal? {
        lock.withLock { entries[id]?.signal }
    }

    func reason(_ id: String) -> StopReason? {
        lock.withLock { entries[id]?.reason }
    }

    /// Records the first reason and returns the signal to trigger; nil when `id` is not running here.
    func requestStop(_ id: String, reason: StopReason) -> StopSignal? {
        lock.withLock {
            guard let entry = entries[id] else { return nil }
            if entry.reason == nil { entries[id]?.reason = reason }
            return entry.signal
        }
    }

    /// Forgets `id`; returns why it was stopped, if it was.
    @discardableResult
    func remove(_ id: String) -> StopReason? {
        lock.withLock { entries.removeValue(forKey: id)?.reason }
    }

    func beginShutdown() {
        lock.withLock { shuttingDown = true }
    }

    /// Marks shutdown and every test stopped for it; returns the signals to trigger.
    func stopAll() -> [StopSignal] {
        lock.withLock {
            shuttingDown = true
            for id in entries.keys where entries[id]?.reason == nil { entries[id]?.reason = .shutdown }
            return entries.values.map(\.signal)
        }
    }
}
