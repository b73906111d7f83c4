/// A value produced once by one task and awaited by others (e.g. a server's bound port).
///
/// Services in one `ServiceGroup` start together; a rendezvous lets a later stage (Prometheus)
/// wait for what an earlier one (the simulator) learns at run time without polling. Waiting is
/// cancellation-aware, so a group that shuts down never leaves a waiter suspended.
public actor Rendezvous<Value: Sendable> {
    private var value: Value?
    private var waiters: [Int: CheckedContinuation<Value, any Error>] = [:]
    private var nextID = 0

    public init() {}

    /// Publishes the value; later calls are ignored (the first answer wins).
    public func fulfil(_ newValue: Value) {
        guard value == nil else { return }
        value = newValue
        let pending = waiters
        waiters = [:]
        for waiter in pending.values { waiter.resume(returning: newValue) }
    }

    /// The value, waiting until it is published; throws `CancellationError` if the task is cancelled.
    public func wait() async throws -> Value {
        if let value { return value }
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
