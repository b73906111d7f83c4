/// What a subscription's plan allows at the edge (docs/GATEWAY.md "Limits"). The quota itself is
/// the subscription's; the plan adds the rates, the request caps and the model allow-list.
public struct GatewayPlan: Sendable, Hashable, Codable {
    public var name: String
    /// Largest `max_tokens` (`max_completion_tokens`) a request may ask for.
    public var maxTokens: Int
    /// Models the plan may call; empty: any model the pool serves.
    public var models: [String]
    /// Per tenant; each key gets `keyShare` of it, so one key cannot starve the others.
    public var requestsPerSecond: Double
    public var tokensPerMinute: Int
    public var concurrentStreams: Int
    public var keyShare: Double

    public init(name: String, maxTokens: Int, models: [String] = [], requestsPerSecond: Double, tokensPerMinute: Int,
                concurrentStreams: Int, keyShare: Double = 0.5) {
        self.name = name
        self.maxTokens = maxTokens
        self.models = models
        self.requestsPerSecond = requestsPerSecond
        self.tokensPerMinute = tokensPerMinute
        self.concurrentStreams = concurrentStreams
        self.keyShare = keyShare
    }
}

/// The plans a site sells; a subscription whose plan is not listed gets `fallback`.
public struct GatewayPlans: Sendable, Hashable {
    public var plans: [String: GatewayPlan]
    public var fallback: GatewayPlan

    public init(plans: [GatewayPlan], fallback: GatewayPlan) {
        self.plans = Dictionary(plans.map { ($0.name, $0) }) { first, _ in first }
        self.fallback = fallback
    }

    public func plan(named name: String) -> GatewayPlan { plans[name] ?? fallback }

    /// Examples, documented in docs/GATEWAY.md; a site states its own.
    public static let defaults = GatewayPlans(plans: [
        GatewayPlan(name: "starter", maxTokens: 1024, requestsPerSecond: 5, tokensPerMinute: 20_000, concurrentStreams: 4),
        GatewayPlan(name: "standard", maxTokens: 4096, requestsPerSecond: 20, tokensPerMinute: 200_000, concurrentStreams: 16),
        GatewayPlan(name: "enterprise", maxTokens: 16_384, requestsPerSecond: 100, tokensPerMinute: 2_000_000, concurrentStreams: 64),
    ], fallback: GatewayPlan(name: "standard", maxTokens: 4096, requestsPerSecond: 20, tokensPerMinute: 200_000, concurrentStreams: 16))
}
