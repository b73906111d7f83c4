import Foundation

/// A one-way stop flag that a sleeping thread wakes up for.
///
/// The sampler sleeps between samples with `sleep(until:)`; `stop()` wakes it at once, so a
/// graceful shutdown never waits out a whole interval.
final class StopLatch: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false

    var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps until `deadline` (`Monotonic.nanoseconds()`) or `stop()`; returns `true` when stopped.
    func sleep(until deadline: UInt64) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !stopped {
            let now = Monotonic.nanoseconds()
            guard now < deadline else { return false }
            _ = condition.wait(until: Date().addingTimeInterval(Double(deadline - now) / 1e9))
        }
        return true
    }
}
