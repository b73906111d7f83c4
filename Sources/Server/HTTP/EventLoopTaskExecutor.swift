import NIOCore

/// A task executor that runs jobs on one NIO event loop.
///
/// Why: a request's handler otherwise runs on Swift's global pool while its connection, and the
/// Prometheus connection it relays to, live on NIO event loops, so every relayed read crossed
/// threads four times (request in, read out, answer in, answer out); on a 2-core virtual
/// machine each crossing is a thread wake-up. Preferring the connection's own event loop keeps
/// the handler and its connection on one thread, and often the HTTP client's request too
/// (`MultiThreadedEventLoopGroup.any()` returns the calling loop, so connections the client opens
/// from a handler live there; a pooled connection on another loop still costs one crossing).
///
/// swift-nio (2.101) makes an event loop a `SerialExecutor`, for actors pinned to it, but not a
/// `TaskExecutor`, which is what a task's preference needs: hence this small adapter.
///
/// The price is the event loop's rule: nothing run here may block. Handlers reach the store
/// through its own thread pool and start child processes off the concurrency pool already.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
