/// The scenario steps that concern one GPU, pre-sorted by time.
struct GPUEvents: Sendable {
    var thermal: [(at: Double, celsius: Double, ramp: Double)] = []
    var xids: [(at: Double, code: Int)] = []
    var fallOffAt: Double?
    var dbe: [Double] = []
    var sbe: [(at: Double, count: Int)] = []
    var pcie: [(at: Double, gen: Int?, width: Int?)] = []
    var clock: [(at: Double, mask: UInt64, until: Double)] = []

    /// `true` when no step touches this GPU (the common, fast case).
    var isEmpty: Bool {
        thermal.isEmpty && xids.isEmpty && fallOffAt == nil && dbe.isEmpty && sbe.isEmpty && pcie.isEmpty && clock.isEmpty
    }

    mutating func add(_ step: ScenarioStep) {
        switch step.event {
        case .thermal(let celsius, let ramp): thermal.append((step.at, celsius, ramp))
        case .xid(let code): xids.append((step.at, code))
        case .fallOffBus: fallOffAt = min(fallOffAt ?? .infinity, step.at)
        case .eccDoubleBit:
            dbe.append(step.at)
            xids.append((step.at, 48))
        case .eccSingleBit(let count): sbe.append((step.at, count))
        case .pcieDowngrade(let gen, let width): pcie.append((step.at, gen, width))
        case .clockEvent(let mask, let duration): clock.append((step.at, mask, step.at + (duration ?? .infinity)))
        case .missingFields, .exporterDown, .workload: break
        }
    }

    mutating func sort() {
        thermal.sort { $0.at < $1.at }
        xids.sort { $0.at < $1.at }
        dbe.sort()
        sbe.sort { $0.at < $1.at }
        pcie.sort { $0.at < $1.at }
        clock.sort { $0.at < $1.at }
    }
}
