import Foundation

/// Requests per second and tokens per minute, per tenant and per key, and concurrent streams per
/// tenant, kept in this process (docs/GATEWAY.md "Limits": the quota is the ledger's, shared by
/// replicas; these rates are per gateway replica).
actor RateLimits {
    /// Why a request was refused and when to come back.
    struct Refusal: Error, Sendable, Equatable {
        var limit: String
        var retryAfter: Int
        var message: String
    }

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private var requestBuckets: [String: Bucket] = [:]
    /// Tokens charged per scope in the current minute window.
    private var tokenWindows: [String: (start: Date, used: Int)] = [:]
    private var streams: [String: Int] = [:]

    /// Admits one request of `tenant` through `key` under `plan`, or says which limit it hit.
    /// `tokens` is the request's expected cost (its prompt estimate plus `max_tokens`).
    func admit(tenant: String, key: String, plan: GatewayPlan, tokens: Int, now: Date) -> Refusal? {
        let keyRate = max(1, plan.requestsPerSecond * plan.keyShare)
        let keyTokens = max(1, Int(Double(plan.tokensPerMinute) * plan.keyShare))
        for (scope, rate, what) in [("t:" + tenant, plan.requestsPerSecond, "tenant"), ("k:" + key, keyRate, "key")] {
            var bucket = requestBuckets[scope] ?? Bucket(tokens: rate, updated: now)
            bucket.tokens = min(rate, bucket.tokens + now.timeIntervalSince(bucket.updated) * rate)
            bucket.updated = now
            requestBuckets[scope] = bucket
            if bucket.tokens < 1 {
                let wait = Int(((1 - bucket.tokens) / rate).rounded(.up))
                return Refusal(limit: "requests_per_second_\(what)", retryAfter: max(1, wait),
                               message: "Rate limit reached: \(formatted(rate)) requests per second per \(what) on plan \(plan.name)")
            }
        }
        for (scope, limit, what) in [("t:" + tenant, plan.tokensPerMinute, "tenant"), ("k:" + key, keyTokens, "key")] {
            var window = tokenWindows[scope] ?? (now, 0)
            if now.timeIntervalSince(window.start) >= 60 { window = (now, 0) }
            tokenWindows[scope] = window
            if window.used > 0, window.used + tokens > limit {
                let wait = Int((60 - now.timeIntervalSince(window.start)).rounded(.up))
                return Refusal(limit: "tokens_per_minute_\(what)", retryAfter: max(1, wait),
                               message: "Rate limit reached: \(limit) tokens per minute per \(what) on plan \(plan.name)")
            }
        }
        if streams[tenant, default: 0] >= plan.concurrentStreams {
            return Refusal(limit: "concurrent_streams", retryAfter: 1,
                           message: "Too many concurrent requests: plan \(plan.name) allows \(plan.concurrentStreams) at a time")
        }
        // Admitted: charge everything at once.
        for scope in ["t:" + tenant, "k:" + key] {
            requestBuckets[scope]?.tokens -= 1
            tokenWindows[scope]?.used += tokens
        }
        streams[tenant, default: 0] += 1
        return nil
    }

    /// The request ended: frees its stream and settles its token charge to what it really used.
    func finish(tenant: String, key: String, charged: Int, used: Int) {
        streams[tenant, default: 1] -= 1
        for scope in ["t:" + tenant, "k:" + key] {
            if let window = tokenWindows[scope] { tokenWindows[scope]?.used = max(0, window.used - charged + used) }
        }
    }

    private func formatted(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
