/// One sample: a time in seconds since the epoch and a value.
///
/// On the wire a pair `[1712345678.123, "42"]`; the value is a string so that `NaN`, `+Inf` and
/// `-Inf` survive JSON, and those are decoded to the matching `Double`s.
public struct SamplePoint: Sendable, Hashable, Decodable {
    /// Seconds since 1970-01-01 UTC.
    public var time: Double
    public var value: Double

    public init(time: Double, value: Double) {
        self.time = time
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        var pair = try decoder.unkeyedContainer()
        time = try pair.decode(Double.self)
        let text = try pair.decode(String.self)
        guard let value = Self.parseValue(text) else {
            throw DecodingError.dataCorruptedError(in: pair, debugDescription: "sample value is not a number")
        }
        self.value = value
    }

    /// Parses Prometheus' sample value text, including `NaN`, `+Inf`, `-Inf` and `Inf`.
    static func parseValue(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default:
            guard let value = Double(text), value.isFinite else { return nil }
            return value
        }
    }
}

extension SamplePoint: CustomStringConvertible {
    public var description: String { "\(value)@\(time)" }
}
