/// A value produced once by one task and awaited by others (e.g. a server's bound port).
///
/// Services in one `ServiceGroup` start together; a rendezvous lets a later stage (Prometheus)
/// wait for what an earlier one (the simulator) learns at run time without polling. Waiting is
/// cancellation-aware, so a group that shuts down never leaves a waiter suspended.
public actor Rendezvous<Value: Sendable> {
    private var value: Value?
    private var failure: (any Error)?
    private var waiters: [Int: CheckedContinuation<Value, any Error>] = [:]
    private var nextID = 0

    public init() {}

    /// Publishes the value; later calls are ignored (the first answer wins).
    public func fulfil(_ newValue: Value) {
        guard value == nil, failure == nil else { return }
        value = newValue
        let pending = waiters
        waiters = [:]
        for waiter in pending.values { waiter.resume(returning: newValue) }
    }

    /// Publishes that no value will come: every waiter, present and later, gets `error`.
    ///
    /// The producer calls this when it ends without producing (a demo stack that fails to start),
    /// so a waiter outside its task group is woken with the reason instead of waiting forever.
    public func fail(_ error: any Error) {
        guard value == nil, failure == nil else { return }
        failure = error
        let pending = waiters
        waiters = [:]
        for waiter in pending.values { waiter.resume(throwing: error) }
    }

    /// The value, waiting until it is published; throws `CancellationError` if the task is
    /// cancelled, or the producer's error if it called `fail`.
    public func wait() async throws -> Value {
        if let value { return value }
        if let failure { throw failure }
        let id = nextID
        nextID += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// The value if already published.
    public func current() -> Value? { value }

    private func cancel(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }
}
