import Foundation

/// GPU core and HBM temperature.
///
/// - **GPU core** (`DCGM_FI_DEV_GPU_TEMP`): Critical when the latest reading is at or above
///   `temperatureCriticalCelsius` (90 °C). Degraded when the GPU has been at or above
///   `temperatureWarnCelsius` (85 °C) for `temperatureSustainSeconds` (5 min): every sample in the
///   history since the last one below the limit is hot, and the hot run spans the sustain window.
///   A hot run shorter than that, or no history to judge it, is a healthy note (action: watch).
/// - **HBM** (`DCGM_FI_DEV_MEMORY_TEMP`, absent on GDDR boards): Critical at or above the memory
///   critical limit, Degraded at or above the memory warning limit, from the latest reading. When
///   the exporter reports `DCGM_FI_DEV_MEM_MAX_OP_TEMP`, that is the critical limit and the warning
///   limit is `memoryTemperatureMarginCelsius` below it.
///
/// Sources: issue 5 (85 °C sustained 5 min / 90 °C); metrics.md §5 (NVIDIA dashboard 83/87 °C,
/// gpud's and DCGM's max-operating-temperature logic, HBM limits).
public struct ThermalCheck: HealthCheck {
    public init() {}

    public func evaluate(_ snapshot: NodeSnapshot, limits: HealthLimits) -> [Finding] {
        snapshot.presentGPUs.flatMap { gpu in
            let limits = limits.resolved(forClass: snapshot.classID(of: gpu))
            return core(gpu, now: snapshot.sampleTime, limits: limits) + memory(gpu, limits: limits)
        }
    }

    private func core(_ gpu: GPUSnapshot, now: Date, limits: HealthLimits) -> [Finding] {
        guard let latest = gpu[.gpuTemp] else { return [] }
        let name = "GPU \(gpu.index)"
        let warn = limits.temperatureWarnCelsius, critical = limits.temperatureCriticalCelsius
        if latest >= critical {
            return [Finding(
                signal: .temperature, severity: .critical, gpu: gpu.index,
                reason: "\(name) at \(HealthFormat.celsius(latest)) (critical at \(HealthFormat.celsius(critical)))",
                action: .checkCooling)]
        }
        guard latest >= warn else { return [] }
        let sustain = limits.temperatureSustainSeconds
        let hotFor = hotRunSeconds(gpu.temperatureReadings, warn: warn, now: now)
        let limitText = "degraded at \(HealthFormat.celsius(warn)) sustained \(HealthFormat.duration(sustain))"
        if let hotFor, hotFor >= sustain {
            return [Finding(
                signal: .temperature, severity: .degraded, gpu: gpu.index,
                reason: "\(name) at \(HealthFormat.celsius(latest)), at or above \(HealthFormat.celsius(warn)) for \(HealthFormat.duration(hotFor)) (\(limitText); critical at \(HealthFormat.celsius(critical)))",
                action: .checkCooling)]
        }
        let since = hotFor.map { "for \(HealthFormat.duration($0))" } ?? "with no history to tell for how long"
        return [Finding(
            signal: .temperature, severity: .healthy, gpu: gpu.index,
            reason: "\(name) at \(HealthFormat.celsius(latest)), at or above \(HealthFormat.celsius(warn)) \(since) (\(limitText))",
            action: .watch)]
    }

    /// How long the GPU has been at or above `warn` up to `now`, judged from the samples: from the
    /// first hot sample after the last cool one. `nil` without any hot sample to go by.
    func hotRunSeconds(_ samples: [TimedValue], warn: Double, now: Date) -> Double? {
        let ordered = samples.filter { $0.time <= now }.sorted { $0.time < $1.time }
        var start: Date?
        for sample in ordered {
            if sample.value >= warn {
                if start == nil { start = sample.time }
            } else {
                start = nil
            }
        }
        guard let start, let last = ordered.last, last.value >= warn else { return nil }
        return now.timeIntervalSince(start)
    }

    private func memory(_ gpu: GPUSnapshot, limits: HealthLimits) -> [Finding] {
        guard let latest = gpu[.memoryTemp] else { return [] }
        var warn = limits.memoryTemperatureWarnCelsius, critical = limits.memoryTemperatureCriticalCelsius
        var source = ""
        if let maxOperating = gpu[.memoryMaxOperatingTemp], maxOperating > 0 {
            critical = maxOperating
            warn = maxOperating - limits.memoryTemperatureMarginCelsius
            source = ", the exporter's memory max operating temperature"
        }
        let name = "GPU \(gpu.index) memory (HBM)"
        if latest >= critical {
            return [Finding(
                signal: .memoryTemperature, severity: .critical, gpu: gpu.index,
                reason: "\(name) at \(HealthFormat.celsius(latest)) (critical at \(HealthFormat.celsius(critical))\(source))",
                action: .checkCooling)]
        }
        if latest >= warn {
            return [Finding(
                signal: .memoryTemperature, severity: .degraded, gpu: gpu.index,
                reason: "\(name) at \(HealthFormat.celsius(latest)) (degraded at \(HealthFormat.celsius(warn)), critical at \(HealthFormat.celsius(critical))\(source))",
                action: .checkCooling)]
        }
        return []
    }
}
