import Foundation
import NIOConcurrencyHelpers

/// A dedicated OS thread for blocking NVML work, awaited without blocking the caller.
///
/// NVML calls block (the energy counter burns 3.4 ms of CPU, the event wait sleeps in the
/// kernel); on Swift's cooperative pool (two threads on a 2-core host) they would stall every
/// request handler. So the sampler and the XID watcher each own a thread, and `join()` suspends
/// the awaiting task until the thread's body has returned.
final class BackgroundThread: Sendable {
    private struct State {
        var finished = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = NIOLockedValueBox(State())

    init(name: String, body: @escaping @Sendable () -> Void) {
        let thread = Thread { [state] in
            body()
            let waiters = state.withLockedValue { state in
                state.finished = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
        thread.name = name
        thread.start()
    }

    /// Returns once the thread's body has returned.
    func join() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLockedValue { state in
                if state.finished { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
