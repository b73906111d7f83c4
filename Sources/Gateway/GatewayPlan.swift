import Foundation

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

    private enum Keys: String, CodingKey {
        case name, maxTokens, models, requestsPerSecond, tokensPerMinute, concurrentStreams, keyShare
    }

    /// From a plans file: `models` and `keyShare` may be left out; every number must be positive.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        name = try container.decode(String.self, forKey: .name)
        maxTokens = try container.decode(Int.self, forKey: .maxTokens)
        models = try container.decodeIfPresent([String].self, forKey: .models) ?? []
        requestsPerSecond = try container.decode(Double.self, forKey: .requestsPerSecond)
        tokensPerMinute = try container.decode(Int.self, forKey: .tokensPerMinute)
        concurrentStreams = try container.decode(Int.self, forKey: .concurrentStreams)
        keyShare = try container.decodeIfPresent(Double.self, forKey: .keyShare) ?? 0.5
        guard !name.isEmpty, maxTokens > 0, requestsPerSecond > 0, tokensPerMinute > 0, concurrentStreams > 0, keyShare > 0, keyShare <= 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                "plan '\(name)': maxTokens, requestsPerSecond, tokensPerMinute and concurrentStreams must be positive, keyShare in (0, 1]"))
        }
    }

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

    /// A plans file: `{"plans": [GatewayPlan…]}` (JSON); the listed plans replace the defaults of
    /// the same name, the others stay. Throws a message naming the file and the problem.
    public static func load(path: String) throws -> GatewayPlans {
        struct File: Decodable { var plans: [GatewayPlan] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GatewayPlansError(message: "cannot read the plans file \(path)")
        }
        do {
            let file = try JSONDecoder().decode(File.self, from: data)
            var plans = defaults.plans
            for plan in file.plans { plans[plan.name] = plan }
            return GatewayPlans(plans: Array(plans.values), fallback: defaults.fallback)
        } catch let error as DecodingError {
            throw GatewayPlansError(message: "the plans file \(path) is not valid: \(error)")
        }
    }
}

extension GatewayPlans {
    /// Examples, documented in docs/GATEWAY.md; a site states its own.
    public static let defaults = GatewayPlans(plans: [
        GatewayPlan(name: "starter", maxTokens: 1024, requestsPerSecond: 5, tokensPerMinute: 20_000, concurrentStreams: 4),
        GatewayPlan(name: "standard", maxTokens: 4096, requestsPerSecond: 20, tokensPerMinute: 200_000, concurrentStreams: 16),
        GatewayPlan(name: "enterprise", maxTokens: 16_384, requestsPerSecond: 100, tokensPerMinute: 2_000_000, concurrentStreams: 64),
    ], fallback: GatewayPlan(name: "standard", maxTokens: 4096, requestsPerSecond: 20, tokensPerMinute: 200_000, concurrentStreams: 16))
}

public struct GatewayPlansError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
