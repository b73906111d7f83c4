import Foundation

/// Body of `GET /api/v1/factory/usage`: a tenant's inference usage over a range, from the usage
/// ledger (what the quota and billing count), by time, by model and by API key.
///
/// Only the caller's own tenant appears: keys are the tenant's own (id, prefix, label, owner),
/// never another tenant's, and nothing here names a node, host or GPU.
public struct UsageHistory: Encodable, Sendable {
    public struct Subscription: Encodable, Sendable {
        var pool: String
        var plan: String
        var period: String
        var periodStart: Date
        var periodEnd: Date
        var quotaLimit: Int
        /// Tokens in + out this period from the ledger; `nil` when it could not be read.
        var quotaUsed: Int?
    }
    /// One bucket: `t` is its start (unix seconds) and its counts, flat beside it.
    public struct Point: Encodable, Sendable {
        var t: Int64
        var counts: Totals

        enum CodingKeys: String, CodingKey { case t }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(t, forKey: .t)
            try counts.encode(to: encoder)
        }
    }
    public struct ModelUsage: Encodable, Sendable {
        var model: String
        var tokensIn: Int
        var tokensOut: Int
        var requests: Int
        var errors: Int
    }
    public struct KeyUsage: Encodable, Sendable {
        var keyId: String
        /// The key's non-secret prefix, its label and its owner's name; `nil` for a key no
        /// longer in the store.
        var prefix: String?
        var label: String?
        var user: String?
        var tokensIn: Int
        var tokensOut: Int
        var requests: Int
        var errors: Int
    }
    /// Sums over a bucket or the range. `rateLimited` comes from the gateway's metering series
    /// (a refused request writes no ledger row) and is `null` when unknown, never omitted.
    public struct Totals: Encodable, Sendable {
        var tokensIn: Int
        var tokensOut: Int
        var requests: Int
        var errors: Int
        var cancelled: Int
        var rateLimited: Int?

        enum CodingKeys: String, CodingKey { case tokensIn, tokensOut, requests, errors, cancelled, rateLimited }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tokensIn, forKey: .tokensIn)
            try container.encode(tokensOut, forKey: .tokensOut)
            try container.encode(requests, forKey: .requests)
            try container.encode(errors, forKey: .errors)
            try container.encode(cancelled, forKey: .cancelled)
            try container.encode(rateLimited, forKey: .rateLimited)
        }
    }

    var tenant: String
    var range: String
    var bucketSeconds: Int
    var from: Date
    var to: Date
    var subscriptions: [Subscription]
    var totals: Totals
    var series: [Point]
    var byModel: [ModelUsage]
    var byKey: [KeyUsage]
    /// Why `rateLimited` is unknown, when it is.
    var reason: String?
}
