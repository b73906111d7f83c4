import Fleet
import Foundation

/// Body of `GET /api/v1/factory/costs` (docs/ECONOMICS.md): GPU economics for the caller's
/// tenant — per node, pool or tenant for holders; spend at plan prices for consumers.
public struct CostsResponse: Encodable, Sendable {
    public struct Prices: Encodable, Sendable {
        var currency: String
        var kWhPrice: Double
        var idleUtilisationPct: Double
        var source: String

        init(_ sheet: PriceSheet) {
            currency = sheet.currency
            kWhPrice = sheet.kWh
            idleUtilisationPct = sheet.idleUtilisationPct
            source = sheet.source
        }
    }
    /// A provider's pool drawn this month, valued at the consumers' plan prices, in aggregate.
    public struct Revenue: Encodable, Sendable {
        var pool: String
        var tokens: Int
        var atPlanPrices: Double?
    }
    /// A consumer's spend on one subscription this billing period.
    public struct Spend: Encodable, Sendable {
        var pool: String
        var plan: String
        var tokens: Int?
        var pricePer1MTokens: Double?
        var spend: Double?
        var periodStart: Date
        var periodEnd: Date

        enum CodingKeys: String, CodingKey { case pool, plan, tokens, pricePer1MTokens, spend, periodStart, periodEnd }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(pool, forKey: .pool)
            try container.encode(plan, forKey: .plan)
            try container.encode(tokens, forKey: .tokens)
            try container.encode(pricePer1MTokens, forKey: .pricePer1MTokens)
            try container.encode(spend, forKey: .spend)
            try container.encode(periodStart, forKey: .periodStart)
            try container.encode(periodEnd, forKey: .periodEnd)
        }
    }

    /// `nil` for a site operator (the whole fleet).
    var tenant: String?
    var role: String
    var prices: Prices
    var range: String?
    var group: String?
    var from: Date?
    var to: Date?
    var hours: Double?
    var groups: [CostFigures]?
    var total: CostFigures?
    var revenue: [Revenue]?
    var spend: [Spend]?
    var stale: Bool?
    var reason: String?
}
