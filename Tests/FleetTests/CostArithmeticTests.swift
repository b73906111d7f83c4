import Fleet
import Foundation
import Testing

/// The arithmetic of GPU economics, by hand (docs/ECONOMICS.md).
@Suite("Cost arithmetic")
struct CostArithmeticTests {
    typealias Sample = CostArithmetic.Sample

    static func series(_ values: [Double], start: Double = 0, step: Double = 60) -> [Sample] {
        values.enumerated().map { (time: start + Double($0.offset) * step, value: $0.element) }
    }

    @Test("a counter's increase counts a reset as a restart from zero; one sample measures nothing")
    func counterIncrease() {
        #expect(CostArithmetic.counterIncrease(Self.series([10, 15, 30])) == 20)
        // 100 → 130 (+30), reset to 5 (+5), → 25 (+20)
        #expect(CostArithmetic.counterIncrease(Self.series([100, 130, 5, 25])) == 55)
        #expect(CostArithmetic.counterIncrease(Self.series([7])) == nil)
        #expect(CostArithmetic.counterIncrease([]) == nil)
    }

    @Test("energy: millijoules to kWh over every GPU, across a reset; no GPU reporting it is unknown, not zero")
    func energy() {
        // 3.6e9 mJ = 1 kWh: GPU 0 grows 1.8e9, GPU 1 grows 1.8e9 across a reset (2e9 → 2.2e9, reset → 1.6e9).
        let gpu0 = Self.series([0, 1.8e9])
        let gpu1 = Self.series([2.0e9, 2.2e9, 1.6e9])
        #expect(CostArithmetic.energyKWh([gpu0, gpu1]) == 1)
        #expect(CostArithmetic.energyKWh([]) == nil, "the field is missing")
        #expect(CostArithmetic.energyKWh([Self.series([5])]) == nil, "one sample measures nothing")
    }

    @Test("idle hours: samples below the threshold × step, over GPUs; mean utilisation over every sample")
    func idleAndUtilisation() {
        let gpu0 = Self.series([0, 5, 50, 90], step: 900)   // two idle 15-min samples
        let gpu1 = Self.series([9.99, 10, 10, 100], step: 900)  // one (10 is not below 10)
        #expect(CostArithmetic.idleHours([gpu0, gpu1], threshold: 10, step: 900) == 0.75)
        let values: [Double] = [0, 5, 50, 90, 9.99, 10, 10, 100]
        let mean: Double = values.reduce(0, +) / 8
        #expect(CostArithmetic.meanUtilisation([gpu0, gpu1]) == mean)
        #expect(CostArithmetic.meanUtilisation([]) == nil)
        #expect(CostArithmetic.perMillionTokens(10, tokens: 2_000_000) == 5)
        #expect(CostArithmetic.perMillionTokens(10, tokens: 0) == nil && CostArithmetic.perMillionTokens(nil, tokens: 5) == nil)
    }

    @Test("a node's figures equal the hand computation; unknown inputs stay unknown")
    func nodeFigures() {
        let prices = PriceSheet(currency: "USD", gpuHour: ["h100-80": 2.0], kWh: 0.2, planPer1MTokens: [:], idleUtilisationPct: 10)
        // 2 GPUs for 24 h, sampled hourly: GPU 0 idle (5 %) for 6 samples then 50 %; GPU 1 at 80 %.
        let idle: [Double] = Array(repeating: 5, count: 6)
        let busy: [Double] = Array(repeating: 50, count: 18)
        let gpu0 = Self.series(idle + busy, step: 3600)
        let gpu1 = Self.series(Array(repeating: 80.0, count: 24), step: 3600)
        let kWh: Double = 3.6e9
        let energy: [[Sample]] = [Self.series([0, kWh * 3], step: 86_400), Self.series([1e9, 1e9 + kWh * 2], step: 86_400)]  // 5 kWh
        let figures = CostFigures.node("n1", gpuClass: "h100-80", gpus: 2, hours: 24, utilisation: [gpu0, gpu1], energy: energy,
                                       tokens: 4_000_000, step: 3600, prices: prices)
        #expect(figures.gpuHours == 48)
        #expect(figures.cost == 96)                       // 48 GPU-h × $2
        #expect(figures.idleHours == 6 && figures.idleCost == 12)
        let utilisation: Double = (6.0 * 5 + 18.0 * 50 + 24.0 * 80) / 48
        #expect(figures.utilisationPct == utilisation)
        #expect(figures.utilisationWeightedCost == 96 * utilisation / 100)
        #expect(figures.energyKWh == 5 && abs((figures.energyCost ?? 0) - 1) < 1e-12)
        #expect(figures.costPer1MTokens == 24)            // $96 / 4 M tokens
        #expect(figures.energyPer1MTokensKWh == 1.25)

        let bare = CostFigures.node("n2", gpuClass: "ada-16", gpus: 1, hours: 24, utilisation: [], energy: [], tokens: nil, step: 3600, prices: prices)
        #expect(bare.gpuHours == 24 && bare.pricePerGPUHour == nil && bare.cost == nil, "no price for the class: unknown, not free")
        #expect(bare.idleHours == nil && bare.energyKWh == nil && bare.costPer1MTokens == nil)

        let total = CostFigures.sum("t", [figures, bare])
        #expect(total.gpus == 3 && total.gpuHours == 72 && total.cost == 96 && total.gpuClass == nil)
        #expect(total.utilisationPct == utilisation, "weighted by the GPU-hours that have a utilisation")
        #expect(total.costPer1MTokens == 24)
    }

    @Test("price files: keys left out keep the defaults; unknown keys and bad prices are named")
    func priceSheet() throws {
        let sheet = try PriceSheet.parse(Data(#"{"gpuHour": {"h100-80": 3}, "kWh": 0.1}"#.utf8))
        #expect(sheet.gpuHour == ["h100-80": 3] && sheet.kWh == 0.1 && sheet.planPer1MTokens == PriceSheet.defaults.planPer1MTokens)
        #expect(sheet.source == "file")
        #expect(throws: PriceSheetError.invalid(key: "gpuHours", "unknown key (known: currency, gpuHour, idleUtilisationPct, kWh, planPer1MTokens)")) {
            try PriceSheet.parse(Data(#"{"gpuHours": {}}"#.utf8))
        }
        #expect(throws: PriceSheetError.invalid(key: "gpuHour.h100-80", "must be a number ≥ 0")) {
            try PriceSheet.parse(Data(#"{"gpuHour": {"h100-80": -1}}"#.utf8))
        }
        #expect(throws: PriceSheetError.invalid(key: "idleUtilisationPct", "must be between 0 and 100")) {
            try PriceSheet.parse(Data(#"{"idleUtilisationPct": 150}"#.utf8))
        }
        #expect(throws: PriceSheetError.self) { try PriceSheet.parse(Data("[]".utf8)) }
        #expect(throws: PriceSheetError.unreadable("/nonexistent/prices.json")) { try PriceSheet.load(path: "/nonexistent/prices.json") }
    }
}
