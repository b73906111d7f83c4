import Foundation
@testable import Store
import Testing

/// The usage ledger on SQLite and PostgreSQL: idempotent per request id, summed per tenant or
/// pool, and broken down by time bucket, model and key with errors and cancellations apart.
@Suite("Usage ledger store")
struct UsageLedgerStoreTests {
    static func entry(_ id: String, tenant: String = "acme", pool: String = "shared", key: String = "k_1", model: String = "m-a",
                      tokensIn: Int, tokensOut: Int, status: Int = 200, at: Date) -> UsageEntry {
        UsageEntry(requestID: id, tenant: tenant, pool: pool, keyID: key, model: model, tokensIn: tokensIn, tokensOut: tokensOut,
                   status: status, source: "upstream", at: at)
    }

    @Test("record once per request id; totals per tenant and per pool; breakdown by bucket, model and key", arguments: Backend.allCases)
    func ledger(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)  // a multiple of 60 s
            let entries = [
                Self.entry("r1", tokensIn: 10, tokensOut: 100, at: t0),
                Self.entry("r2", key: "k_2", tokensIn: 20, tokensOut: 200, at: t0.addingTimeInterval(30)),
                Self.entry("r3", model: "m-b", tokensIn: 5, tokensOut: 7, status: 502, at: t0.addingTimeInterval(61)),
                Self.entry("r4", key: "k_2", model: "m-b", tokensIn: 3, tokensOut: 0, status: 499, at: t0.addingTimeInterval(125)),
                Self.entry("r5", tenant: "globex", tokensIn: 1000, tokensOut: 1000, at: t0.addingTimeInterval(10)),
                Self.entry("r6", pool: "other", tokensIn: 1, tokensOut: 1, at: t0.addingTimeInterval(10)),
            ]
            #expect(try await store.recordUsage(entries) == 6)
            #expect(try await store.recordUsage(Array(entries.prefix(2))) == 0, "a replayed request id counts once")

            let acme = try await store.usageTotals(tenant: "acme", pool: nil, since: t0)
            #expect(acme == UsageTotals(tokensIn: 39, tokensOut: 308, requests: 5))
            #expect(try await store.usageTotals(tenant: "acme", since: t0) == acme)
            #expect(try await store.usageTotals(tenant: "acme", pool: "shared", since: t0) == UsageTotals(tokensIn: 38, tokensOut: 307, requests: 4))
            #expect(try await store.usageTotals(tenant: nil, pool: "shared", since: t0) == UsageTotals(tokensIn: 1038, tokensOut: 1307, requests: 5),
                    "a pool's draw sums every consumer")
            #expect(try await store.usageTotals(tenant: "acme", pool: nil, since: t0.addingTimeInterval(100)) == UsageTotals(tokensIn: 3, tokensOut: 0, requests: 1))
            #expect(try await store.usageTotals(tenant: "nobody", pool: nil, since: t0) == UsageTotals())

            let breakdown = try await store.usageBreakdown(tenant: "acme", pool: "shared", from: t0, to: t0.addingTimeInterval(3600), bucketSeconds: 60)
            #expect(breakdown.total.requests == 4 && breakdown.total.tokensIn == 38 && breakdown.total.tokensOut == 307)
            #expect(breakdown.total.errors == 1 && breakdown.total.cancelled == 1)
            #expect(breakdown.buckets.keys.sorted() == [t0, t0.addingTimeInterval(60), t0.addingTimeInterval(120)])
            #expect(breakdown.buckets[t0]?.requests == 2 && breakdown.buckets[t0]?.tokensOut == 300)
            #expect(breakdown.buckets[t0.addingTimeInterval(60)]?.errors == 1)
            #expect(breakdown.buckets[t0.addingTimeInterval(120)]?.cancelled == 1)
            #expect(breakdown.byModel["m-a"]?.requests == 2 && breakdown.byModel["m-b"]?.tokensIn == 8)
            #expect(breakdown.byKey["k_1"]?.tokensOut == 107 && breakdown.byKey["k_2"]?.tokensOut == 200)

            let window = try await store.usageBreakdown(tenant: "acme", pool: nil, from: t0.addingTimeInterval(30), to: t0.addingTimeInterval(61), bucketSeconds: 60)
            #expect(window.total.requests == 1, "from is inclusive, to exclusive")
            guard case .invalid(field: "bucketSeconds", _)? = await storeError({
                _ = try await store.usageBreakdown(tenant: "acme", pool: nil, from: t0, to: t0.addingTimeInterval(60), bucketSeconds: 0)
            }) else { Issue.record("a zero bucket is refused"); return }
        }
    }
}
