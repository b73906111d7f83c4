import Foundation

/// A node's utilisation over time, piecewise by workload profile, with an exact integral.
///
/// Within a segment, utilisation is `base + a1·sin(w1·t + p1) + a2·sin(w2·t + p2)` with
/// `base ± (a1 + a2)` inside [0, 1], so no clamping is needed and the integral has a closed form.
/// Energy, token and request counters are integrals of it, hence exact at any `t` and never
/// decreasing, without a background task stepping time.
struct LoadCurve: Sendable {
    struct Segment: Sendable {
        var start: Double
        var profile: WorkloadProfile
    }

    /// Segments by start time; the first one extends to -∞.
    var segments: [Segment]
    var phase1: Double
    var phase2: Double
    var period1: Double
    var period2: Double

    init(initial: WorkloadProfile, changes: [(at: Double, profile: WorkloadProfile)], hash: SeedHash) {
        var hash = hash
        segments = [Segment(start: -.infinity, profile: initial)]
        for change in changes.sorted(by: { $0.at < $1.at }) {
            segments.append(Segment(start: change.at, profile: change.profile))
        }
        phase1 = hash.uniform(0...(2 * .pi))
        phase2 = hash.uniform(0...(2 * .pi))
        period1 = hash.uniform(420...720)
        period2 = hash.uniform(70...130)
    }

    /// (base, a1, a2) for a profile.
    static func shape(_ profile: WorkloadProfile) -> (Double, Double, Double) {
        switch profile {
        case .wave: (0.55, 0.3, 0.1)
        case .busy: (0.915, 0.045, 0.02)
        case .idle, .idleVLLM: (0, 0, 0)
        }
    }

    func profile(at t: Double) -> WorkloadProfile {
        var current = segments[0].profile
        for segment in segments where segment.start <= t { current = segment.profile }
        return current
    }

    /// Utilisation in [0, 1] at `t`.
    func utilization(at t: Double) -> Double {
        let (base, a1, a2) = Self.shape(profile(at: t))
        guard base > 0 else { return 0 }
        return base + a1 * sin(2 * .pi / period1 * t + phase1) + a2 * sin(2 * .pi / period2 * t + phase2)
    }

    /// ∫ utilisation dt over [from, to].
    func integral(from: Double, to: Double) -> Double {
        guard to > from else { return 0 }
        var total = 0.0
        for (index, segment) in segments.enumerated() {
            let end = index + 1 < segments.count ? segments[index + 1].start : .infinity
            let lower = max(from, segment.start)
            let upper = min(to, end)
            guard upper > lower else { continue }
            total += pieceIntegral(segment.profile, lower, upper)
        }
        return total
    }

    /// Seconds spent in profiles that hold vLLM memory / draw more than idle power, over [from, to].
    func activeTime(from: Double, to: Double) -> Double {
        guard to > from else { return 0 }
        var total = 0.0
        for (index, segment) in segments.enumerated() where segment.profile != .idle {
            let end = index + 1 < segments.count ? segments[index + 1].start : .infinity
            let lower = max(from, segment.start)
            let upper = min(to, end)
            if upper > lower { total += upper - lower }
        }
        return total
    }

    private func pieceIntegral(_ profile: WorkloadProfile, _ a: Double, _ b: Double) -> Double {
        let (base, a1, a2) = Self.shape(profile)
        guard base > 0 else { return 0 }
        let w1 = 2 * .pi / period1
        let w2 = 2 * .pi / period2
        return base * (b - a)
            - a1 / w1 * (cos(w1 * b + phase1) - cos(w1 * a + phase1))
            - a2 / w2 * (cos(w2 * b + phase2) - cos(w2 * a + phase2))
    }
}
