import Fleet
import Foundation

/// One simulated node: its GPUs, load curve and scenario timeline, evaluated at any instant.
///
/// Pure: `reading(gpu:at:)` depends only on what was fixed at construction (seed, spec,
/// scenarios) and on `t`, so tests jump to any time without sleeping and two simulators with the
/// same seed agree exactly.
struct NodeModel: Sendable {
    let spec: NodeSpec
    let gpuClass: GPUClass
    let physics: BoardPhysics
    let load: LoadCurve
    let gpus: [GPUModel]
    /// Fields the exporter stops publishing, with the time they disappear.
    let missingFields: [(at: Double, fields: Set<String>)]
    let outages: [(at: Double, duration: Double?, every: Double?)]
    let vllm: VLLMModel?

    /// Seconds of history the temperature follows power over.
    static let thermalWindow = 60.0
    /// dcgm-exporter's default XID count window.
    static let xidWindow = 300.0

    init(spec: NodeSpec, scenarios: [Scenario], seed: UInt64) {
        self.spec = spec
        let resolvedClass = GPUClass.named(spec.gpuClass)
            ?? GPUClass.derive(modelName: spec.gpuModel, memoryMiB: spec.gpuMemoryMiB)
            ?? GPUClass(id: spec.gpuClass, displayName: spec.gpuModel, memoryGiB: spec.gpuMemoryMiB / 1024,
                        modelName: spec.gpuModel, memoryMiB: spec.gpuMemoryMiB, powerLimitWatts: 300,
                        pcieMaxGen: 4, pcieMaxWidth: 16, hasHBM: false, hasNVLink: false)
        gpuClass = resolvedClass
        physics = BoardPhysics.forClass(resolvedClass.id)

        var gpuEvents = Array(repeating: GPUEvents(), count: spec.gpuCount)
        var workloadChanges: [(at: Double, profile: WorkloadProfile)] = []
        var missing: [(Double, Set<String>)] = []
        var outages: [(Double, Double?, Double?)] = []
        for step in scenarios.flatMap(\.steps) {
            switch step.event {
            case .workload(let profile): workloadChanges.append((step.at, profile))
            case .missingFields(let fields): missing.append((step.at, Set(fields)))
            case .exporterDown(let duration, let every): outages.append((step.at, duration, every))
            default:
                for index in gpuEvents.indices where step.gpu.matches(index) { gpuEvents[index].add(step) }
            }
        }
        let nodeHash = SeedHash(seed, "node", spec.name)
        load = LoadCurve(initial: .wave, changes: workloadChanges, hash: nodeHash)
        missingFields = missing
        self.outages = outages
        let nodeName = spec.name
        let memoryMiB = spec.gpuMemoryMiB
        gpus = gpuEvents.indices.map { index in
            var events = gpuEvents[index]
            events.sort()
            return GPUModel(index: index, seed: seed, node: nodeName, memoryMiB: memoryMiB, events: events)
        }
        let boardPhysics = BoardPhysics.forClass(resolvedClass.id)
        if let served = spec.servedModel {
            vllm = VLLMModel(model: served, gpuCount: spec.gpuCount, physics: boardPhysics, hash: nodeHash.with(7))
        } else {
            vllm = nil
        }
    }

    /// `true` while the node's exporters answer 503.
    func isDown(at t: Double) -> Bool {
        for outage in outages where outage.at <= t {
            let since = t - outage.at
            guard let every = outage.every else {
                if outage.duration.map({ since < $0 }) ?? true { return true }
                continue
            }
            let length = outage.duration ?? every
            if since.truncatingRemainder(dividingBy: every) < length { return true }
        }
        return false
    }

    /// Field names the exporter does not publish at `t`.
    func missingFields(at t: Double) -> Set<String> {
        var result: Set<String> = []
        for entry in missingFields where entry.at <= t { result.formUnion(entry.fields) }
        return result
    }

    /// `true` when GPU `index` still answers on the bus at `t`.
    func isPresent(gpu index: Int, at t: Double) -> Bool {
        guard let fallOff = gpus[index].events.fallOffAt else { return true }
        return t < fallOff
    }

    /// ∫ power dt over [a, b] for one GPU, in joules.
    private func energyJoules(_ gpu: GPUModel, _ a: Double, _ b: Double, idle: Double, held: Double, dynamic: Double) -> Double {
        idle * (b - a) + held * load.activeTime(from: a, to: b) + dynamic * gpu.loadScale * load.integral(from: a, to: b)
    }

    /// Everything GPU `index` reports at `t` (seconds since start). Call only for present GPUs.
    func reading(gpu index: Int, at t: Double) -> GPUReading {
        let gpu = gpus[index]
        let limit = Double(gpuClass.powerLimitWatts)
        let idlePower = limit * physics.idleFraction
        let heldPower = idlePower * 0.35
        let dynamicPower = limit * 0.86 - idlePower - heldPower
        let profile = load.profile(at: t)
        let nodeUtil = load.utilization(at: t)
        let util = nodeUtil * gpu.loadScale

        var r = GPUReading()
        let noise = SeedHash.noise(gpu.noiseKey, t, bucket: 5)
        // Power and energy: the energy counter is the exact integral of the noise-free power.
        let basePower = idlePower + (profile == .idle ? 0 : heldPower) + dynamicPower * util
        r.power = max(1, basePower * (1 + 0.015 * noise))
        r.energy = (gpu.energyBase + 1000 * energyJoules(gpu, 0, max(t, 0), idle: idlePower, held: heldPower, dynamic: dynamicPower)).rounded(.down)
        // Temperature follows the average power of the last minute.
        let window = Self.thermalWindow
        let averagePower = energyJoules(gpu, t - window, t, idle: idlePower, held: heldPower, dynamic: dynamicPower) / window
        let thermalResistance = 45 / (limit * 0.86)
        var temperature = gpu.ambient + thermalResistance * averagePower + 0.4 * noise
        let events = gpu.events
        for step in events.thermal where step.at <= t {
            let fraction = step.ramp > 0 ? min(1, (t - step.at) / step.ramp) : 1
            temperature += (step.celsius + 0.4 * noise - temperature) * fraction
        }
        r.gpuTemp = temperature.rounded()
        r.memoryTemp = gpuClass.hasHBM ? (temperature + 4 + 0.3 * noise).rounded() : 0

        // Clock events.
        var reasons: UInt64 = util < 0.05 ? ClockEventReason.gpuIdle.mask : (util > 0.9 ? ClockEventReason.swPowerCap.mask : 0)
        if r.gpuTemp >= 88 { reasons |= ClockEventReason.swThermal.mask }
        for step in events.clock where step.at <= t && t < step.until { reasons |= step.mask }
        r.clockReasons = Double(reasons)
        var smClock = util < 0.05 ? physics.idleSMClock : physics.maxSMClock - (1 - util) * 120 + 15 * noise
        if reasons & ClockEventReason.hardwareSlowdownMask != 0 {
            smClock *= 0.45
        } else if reasons & ClockEventReason.swThermal.mask != 0 {
            smClock *= 0.85
        }
        r.smClock = (smClock / 15).rounded() * 15
        r.memClock = util < 0.05 && profile == .idle ? 405 : physics.memClock

        // Utilisation and profiling ratios (exactly 0 when idle, as on a real idle board).
        r.gpuUtil = util == 0 ? 0 : min(100, max(0, (util * 100 + 2 * noise).rounded()))
        r.memCopyUtil = util == 0 ? 0 : min(100, max(0, (util * 62 + 2 * noise).rounded()))
        r.grActive = util == 0 ? 0 : min(1, max(0, util * 0.98 + 0.01 * noise))
        r.smActive = r.grActive * 0.93
        r.tensorActive = r.grActive * 0.47
        r.dramActive = util == 0 ? 0 : min(1, max(0, util * 0.58 + 0.01 * noise))

        // Memory.
        let total = Double(spec.gpuMemoryMiB)
        r.fbReserved = max(256, (total / 44).rounded())
        let used: Double
        switch profile {
        case .idle: used = 1
        case .wave, .busy, .idleVLLM:
            used = vllm != nil ? gpu.vllmMemory : (total * (0.35 + 0.3 * util)).rounded()
        }
        r.fbUsed = min(used, total - r.fbReserved).rounded()
        r.fbFree = total - r.fbReserved - r.fbUsed

        // ECC and remapping.
        r.sbe = Double(events.sbe.reduce(0) { $1.at <= t ? $0 + $1.count : $0 })
        r.dbe = Double(events.dbe.reduce(0) { $1 <= t ? $0 + 1 : $0 })
        r.uncorrectableRows = r.dbe
        r.powerLimit = limit

        // XIDs: the last one is sticky; the count family covers the last 5 minutes.
        for xid in events.xids where xid.at <= t {
            r.xid = xid.code
            if t - xid.at < Self.xidWindow {
                if let slot = r.recentXIDs.firstIndex(where: { $0.code == xid.code }) {
                    r.recentXIDs[slot].count += 1
                } else {
                    r.recentXIDs.append((xid.code, 1))
                }
            }
        }
        r.recentXIDs.sort { $0.code < $1.code }

        // PCIe: full link under load, gen 1 at idle (power saving); a downgrade caps it.
        r.maxLinkGen = Double(gpuClass.pcieMaxGen)
        r.maxLinkWidth = Double(gpuClass.pcieMaxWidth)
        r.linkGen = util < 0.05 ? 1 : r.maxLinkGen
        r.linkWidth = r.maxLinkWidth
        var replays = 0.0
        var bandwidthShare = 1.0
        for step in events.pcie where step.at <= t {
            let gen = Double(step.gen ?? max(1, gpuClass.pcieMaxGen - 2))
            let width = Double(step.width ?? max(1, gpuClass.pcieMaxWidth / 2))
            r.linkGen = min(r.linkGen, gen)
            r.linkWidth = min(r.linkWidth, width)
            bandwidthShare = min(bandwidthShare, width / r.maxLinkWidth)
            replays += ((t - step.at) * 1.7).rounded(.down)
        }
        r.pcieReplays = replays
        r.pcieRx = ((util * 1.4e9 + 3e6) * bandwidthShare * (1 + 0.05 * noise)).rounded()
        r.pcieTx = ((util * 0.6e9 + 1.5e6) * bandwidthShare * (1 + 0.05 * noise)).rounded()
        if gpuClass.hasNVLink {
            r.nvlinkRx = (util * 38e9 * (1 + 0.05 * noise)).rounded()
            r.nvlinkTotal = (gpu.loadScale * load.integral(from: 0, to: max(t, 0)) * 2.2e7).rounded(.down)
        }
        return r
    }
}
