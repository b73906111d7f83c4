import Foundation
import Logging
import Store

/// Group commit for the usage ledger: requests that end within a few milliseconds of each other
/// share one transaction (one fsync), and each caller resumes only once its row is committed —
/// so "metered before the client sees [DONE]" holds at hundreds of requests a second.
actor LedgerWriter {
    private let store: any Store
    private let logger: Logger
    private var pending: [(entry: UsageEntry, done: CheckedContinuation<Void, Never>)] = []
    private var flushing = false
    /// How long the first entry of a batch waits for company.
    static let window = Duration.milliseconds(5)
    static let maxBatch = 500

    init(store: any Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Returns once `entry` is committed (or its write failed and was logged: metering never
    /// fails a request the client already received).
    func append(_ entry: UsageEntry) async {
        await withCheckedContinuation { continuation in
            pending.append((entry, continuation))
            if !flushing {
                flushing = true
                Task { await self.flushLoop() }
            }
        }
    }

    private func flushLoop() async {
        try? await Task.sleep(for: Self.window)
        while !pending.isEmpty {
            let batch = Array(pending.prefix(Self.maxBatch))
            pending.removeFirst(batch.count)
            do {
                _ = try await store.recordUsage(batch.map(\.entry))
            } catch {
                logger.error("usage ledger write failed", metadata: ["requests": "\(batch.count)", "error": "\(error)"])
            }
            for item in batch { item.done.resume() }
        }
        flushing = false
    }
}

/// Tokens a tenant used this period, from the ledger at most `refresh` old plus what this
/// gateway metered since: the quota check without a ledger sum per request. Other replicas'
/// usage arrives with the next refresh (docs/GATEWAY.md "Limits").
actor QuotaTracker {
    private struct Entry {
        var periodStart: Date
        var fromLedger: Int
        var sinceRead: Int
        var readAt: ContinuousClock.Instant
    }

    private let store: any Store
    private let refresh: Duration
    private var entries: [String: Entry] = [:]

    init(store: any Store, refresh: Duration = .seconds(1)) {
        self.store = store
        self.refresh = refresh
    }

    func used(tenant: String, since start: Date) async throws -> Int {
        if let entry = entries[tenant], entry.periodStart == start, ContinuousClock.now - entry.readAt < refresh {
            return entry.fromLedger + entry.sinceRead
        }
        let totals = try await store.usageTotals(tenant: tenant, since: start)
        entries[tenant] = Entry(periodStart: start, fromLedger: totals.tokens, sinceRead: 0, readAt: .now)
        return totals.tokens
    }

    func add(tenant: String, tokens: Int) {
        entries[tenant]?.sinceRead += tokens
    }
}
