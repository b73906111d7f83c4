/// A one-shot barrier: `wait()` suspends until `open()` is called (or returns at once after).
///
/// The fake's slow endpoints wait on it instead of sleeping, so a "slow" answer is slow for
/// exactly as long as the test needs and the server can shut down promptly afterwards.
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }
}
