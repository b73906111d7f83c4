/// Deterministic hashing for the simulation: the same seed, node and GPU give the same numbers
/// on every machine and run (Swift's `Hasher` is randomly seeded per process, so it is not used).
struct SeedHash {
    private(set) var state: UInt64

    /// Starts from `seed` and mixes in each string (FNV-1a) and integer given.
    init(_ seed: UInt64, _ parts: String...) {
        var value = seed ^ 0x9E37_79B9_7F4A_7C15
        for part in parts {
            var fnv: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in part.utf8 {
                fnv ^= UInt64(byte)
                fnv = fnv &* 0x100_0000_01B3
            }
            value = Self.mix(value ^ fnv)
        }
        state = value
    }

    /// Mixes an integer in.
    func with(_ number: Int) -> SeedHash {
        var copy = self
        copy.state = Self.mix(state ^ UInt64(bitPattern: Int64(number)) &* 0xBF58_476D_1CE4_E5B9)
        return copy
    }

    /// The next 64 random bits (SplitMix64).
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A uniform value in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A uniform value in `range`.
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * unit()
    }

    static func mix(_ input: UInt64) -> UInt64 {
        var z = input
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Noise in [-1, 1] that is constant within each `bucket`-second window of time `t`.
    static func noise(_ key: UInt64, _ t: Double, bucket: Double) -> Double {
        let slot = UInt64(bitPattern: Int64((t / bucket).rounded(.down)))
        let bits = mix(key ^ slot &* 0xD6E8_FEB8_6659_FD93)
        return Double(bits >> 11) * (2.0 / 9_007_199_254_740_992.0) - 1.0
    }
}
