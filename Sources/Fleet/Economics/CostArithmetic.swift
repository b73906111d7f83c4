/// The arithmetic of GPU economics (docs/ECONOMICS.md), pure so every rule is unit-tested:
/// counter increases across resets, energy from millijoule counters, idle hours from sampled
/// utilisation, and the per-million-token figures.
public enum CostArithmetic {
    /// A sample of a series: seconds since 1970 and the value.
    public typealias Sample = (time: Double, value: Double)

    /// How much a counter grew over `samples` (time-ordered), as Prometheus's `increase` counts a
    /// reset: a drop means the counter restarted from 0, so the new value is all growth.
    /// `nil` with fewer than two samples (nothing to measure).
    public static func counterIncrease(_ samples: [Sample]) -> Double? {
        guard samples.count >= 2 else { return nil }
        var total = 0.0
        for (previous, current) in zip(samples, samples.dropFirst()) {
            total += current.value >= previous.value ? current.value - previous.value : current.value
        }
        return total
    }

    /// kWh from per-GPU `DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION` series (millijoules since boot);
    /// `nil` when no GPU reports the field (an exporter without it), never 0.
    public static func energyKWh(_ perGPU: [[Sample]]) -> Double? {
        let increases = perGPU.compactMap(counterIncrease)
        guard !increases.isEmpty else { return nil }
        return increases.reduce(0, +) / 3_600_000_000
    }

    /// Hours a GPU spent below `threshold` % utilisation: each sample stands for the `step`
    /// seconds up to it. Summed over GPUs.
    public static func idleHours(_ perGPU: [[Sample]], threshold: Double, step: Double) -> Double {
        perGPU.reduce(0) { sum, samples in sum + Double(samples.filter { $0.value < threshold }.count) * step / 3600 }
    }

    /// Mean utilisation (%) over every sample of every GPU; `nil` with no samples.
    public static func meanUtilisation(_ perGPU: [[Sample]]) -> Double? {
        let values = perGPU.flatMap { $0.map(\.value) }
        guard !values.isEmpty else { return nil }
        return values.reduce(0, +) / Double(values.count)
    }

    /// `amount` per million tokens; `nil` without a positive token count or an amount.
    public static func perMillionTokens(_ amount: Double?, tokens: Double?) -> Double? {
        guard let amount, let tokens, tokens > 0 else { return nil }
        return amount / tokens * 1_000_000
    }
}
