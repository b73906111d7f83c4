/// One node's (or pool's, or tenant's) economics over a window (docs/ECONOMICS.md). Figures the
/// inputs cannot give are `nil` — never 0: no price for the class, no energy field, no tokens.
public struct CostFigures: Sendable, Hashable, Encodable {
    public var key: String
    public var gpuClass: String?
    public var gpus: Int
    /// GPUs × hours of the window: the capacity paid for.
    public var gpuHours: Double
    public var pricePerGPUHour: Double?
    public var cost: Double?
    public var idleHours: Double?
    public var idleCost: Double?
    public var utilisationPct: Double?
    /// `cost` × utilisation: the part of the spend that did work.
    public var utilisationWeightedCost: Double?
    public var energyKWh: Double?
    public var energyCost: Double?
    /// Prompt + generated tokens vLLM served in the window (its counters' increase).
    public var tokens: Double?
    public var costPer1MTokens: Double?
    public var energyPer1MTokensKWh: Double?

    enum CodingKeys: String, CodingKey {
        case key, gpuClass, gpus, gpuHours, pricePerGPUHour, cost, idleHours, idleCost, utilisationPct, utilisationWeightedCost
        case energyKWh, energyCost, tokens, costPer1MTokens, energyPer1MTokensKWh
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(gpuClass, forKey: .gpuClass)
        try container.encode(gpus, forKey: .gpus)
        try container.encode(Self.round(gpuHours), forKey: .gpuHours)
        try container.encode(pricePerGPUHour, forKey: .pricePerGPUHour)
        try container.encode(cost.map { Self.round($0) }, forKey: .cost)
        try container.encode(idleHours.map { Self.round($0) }, forKey: .idleHours)
        try container.encode(idleCost.map { Self.round($0) }, forKey: .idleCost)
        try container.encode(utilisationPct.map { Self.round($0, 10) }, forKey: .utilisationPct)
        try container.encode(utilisationWeightedCost.map { Self.round($0) }, forKey: .utilisationWeightedCost)
        try container.encode(energyKWh.map { Self.round($0, 1000) }, forKey: .energyKWh)
        try container.encode(energyCost.map { Self.round($0) }, forKey: .energyCost)
        try container.encode(tokens.map { $0.rounded() }, forKey: .tokens)
        try container.encode(costPer1MTokens.map { Self.round($0, 10_000) }, forKey: .costPer1MTokens)
        try container.encode(energyPer1MTokensKWh.map { Self.round($0, 10_000) }, forKey: .energyPer1MTokensKWh)
    }

    /// `value` rounded to 1/`scale` (cents by default) for answers people read.
    public static func round(_ value: Double, _ scale: Double = 100) -> Double { (value * scale).rounded() / scale }

    /// A node's figures from its window's readings and the sheet's prices.
    public static func node(
        _ key: String, gpuClass: String, gpus: Int, hours: Double, utilisation: [[CostArithmetic.Sample]],
        energy: [[CostArithmetic.Sample]], tokens: Double?, step: Double, prices: PriceSheet
    ) -> CostFigures {
        let price = prices.gpuHourPrice(gpuClass)
        let gpuHours = Double(gpus) * hours
        let cost = price.map { $0 * gpuHours }
        let utilisationPct = CostArithmetic.meanUtilisation(utilisation)
        let idleHours = utilisation.isEmpty ? nil
            : min(gpuHours, CostArithmetic.idleHours(utilisation, threshold: prices.idleUtilisationPct, step: step))
        let energy = CostArithmetic.energyKWh(energy)
        return CostFigures(
            key: key, gpuClass: gpuClass, gpus: gpus, gpuHours: gpuHours, pricePerGPUHour: price, cost: cost,
            idleHours: idleHours, idleCost: zip2(idleHours, price).map { $0 * $1 },
            utilisationPct: utilisationPct, utilisationWeightedCost: zip2(cost, utilisationPct).map { $0 * $1 / 100 },
            energyKWh: energy, energyCost: energy.map { $0 * prices.kWh },
            tokens: tokens, costPer1MTokens: CostArithmetic.perMillionTokens(cost, tokens: tokens),
            energyPer1MTokensKWh: CostArithmetic.perMillionTokens(energy, tokens: tokens))
    }

    /// The sum of `parts` under `key`: additive figures add (a part without one makes the sum
    /// unknown only when no part has it), utilisation is weighted by GPU-hours, ratios recomputed.
    public static func sum(_ key: String, _ parts: [CostFigures]) -> CostFigures {
        func add(_ field: (CostFigures) -> Double?) -> Double? {
            let values = parts.compactMap(field)
            return values.isEmpty ? nil : values.reduce(0, +)
        }
        let classes = Set(parts.compactMap(\.gpuClass))
        let gpuHours = parts.reduce(0) { $0 + $1.gpuHours }
        let weighted = parts.compactMap { part in part.utilisationPct.map { ($0 * part.gpuHours, part.gpuHours) } }
        let weight = weighted.reduce(0) { $0 + $1.1 }
        let utilisation = weight > 0 ? weighted.reduce(0) { $0 + $1.0 } / weight : nil
        let cost = add(\.cost)
        let energy = add(\.energyKWh)
        let tokens = add(\.tokens)
        return CostFigures(
            key: key, gpuClass: classes.count == 1 ? classes.first : nil, gpus: parts.reduce(0) { $0 + $1.gpus }, gpuHours: gpuHours,
            pricePerGPUHour: classes.count == 1 ? parts.first?.pricePerGPUHour : nil, cost: cost,
            idleHours: add(\.idleHours), idleCost: add(\.idleCost), utilisationPct: utilisation,
            utilisationWeightedCost: add(\.utilisationWeightedCost), energyKWh: energy, energyCost: add(\.energyCost),
            tokens: tokens, costPer1MTokens: CostArithmetic.perMillionTokens(cost, tokens: tokens),
            energyPer1MTokensKWh: CostArithmetic.perMillionTokens(energy, tokens: tokens))
    }
}

private func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
