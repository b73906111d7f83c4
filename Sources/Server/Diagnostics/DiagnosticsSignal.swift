import Foundation

/// Wakes an agent's long poll (`GET /api/v1/agent/diagnostics/next`) when a run is queued for its
/// node, so a run starts within a round trip instead of at the next poll.
///
/// Only a hint: the poll also re-reads the store every `recheck` (another replica may have queued
/// the run), so a lost wake-up costs latency, never a run.
actor DiagnosticsSignal {
    private var waiters: [String: [UUID: CheckedContinuation<Void, Never>]] = [:]

    /// Returns when `signal(node:)` is called for `node`, or after `timeout`, or on cancellation.
    func wait(node: String, timeout: Duration) async {
        let id = UUID()
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.resume(node: node, id: id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiters[node, default: [:]][id] = continuation
            }
        } onCancel: {
            Task { await self.resume(node: node, id: id) }
        }
        timer.cancel()
    }

    /// Wakes every poll waiting for `node`.
    func signal(node: String) {
        guard let waiting = waiters.removeValue(forKey: node) else { return }
        for continuation in waiting.values { continuation.resume() }
    }

    private func resume(node: String, id: UUID) {
        guard let continuation = waiters[node]?.removeValue(forKey: id) else { return }
        if waiters[node]?.isEmpty == true { waiters[node] = nil }
        continuation.resume()
    }
}
