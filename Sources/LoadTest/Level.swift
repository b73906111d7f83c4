/// One load level of a run: a number of closed-loop workers, or an open-loop arrival rate.
public enum Level: Sendable, Codable, Equatable, CustomStringConvertible {
    /// N workers, each sending its next request as soon as the previous one finishes.
    case concurrency(Int)
    /// Requests start at `rate` per second regardless of completions (constant or Poisson gaps).
    case rate(Double, Arrival)

    /// How arrival times are spaced in rate mode.
    public enum Arrival: String, Sendable, Codable, CaseIterable {
        /// Exactly 1/rate apart.
        case constant
        /// Exponential gaps with mean 1/rate, from the run's seed (repeatable).
        case poisson
    }

    /// `c4`, `r50` (used in file names and the progress line).
    public var label: String {
        switch self {
        case .concurrency(let n): "c\(n)"
        case .rate(let r, _): "r\(formatMilliseconds(r))"
        }
    }

    public var description: String {
        switch self {
        case .concurrency(let n): "concurrency \(n)"
        case .rate(let r, let arrival): "\(formatMilliseconds(r)) req/s (\(arrival.rawValue))"
        }
    }
}

extension Level {
    enum CodingKeys: String, CodingKey {
        case concurrency, rate, arrival
    }

    /// The shape Swift synthesizes for an enum with associated values (`{"_0": 4}`), still read
    /// from results stored before the public shape was written on purpose.
    private struct Legacy: Decodable {
        var first: Double
        var arrival: Arrival?

        enum CodingKeys: String, CodingKey {
            case first = "_0", arrival = "_1"
        }
    }

    /// `{"concurrency": 4}` or `{"rate": 50, "arrival": "constant"}`: the public shape of a level
    /// in the API, the page and stored results.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .concurrency(let n):
            try container.encode(n, forKey: .concurrency)
        case .rate(let rate, let arrival):
            try container.encode(rate, forKey: .rate)
            try container.encode(arrival, forKey: .arrival)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.concurrency) {
            if let n = try? container.decode(Int.self, forKey: .concurrency) {
                self = .concurrency(n)
            } else {
                let legacy = try container.decode(Legacy.self, forKey: .concurrency)
                guard let n = Int(exactly: legacy.first) else {
                    throw DecodingError.dataCorruptedError(forKey: .concurrency, in: container, debugDescription: "concurrency must be a whole number")
                }
                self = .concurrency(n)
            }
        } else if container.contains(.rate) {
            if let rate = try? container.decode(Double.self, forKey: .rate) {
                self = .rate(rate, try container.decodeIfPresent(Arrival.self, forKey: .arrival) ?? .constant)
            } else {
                let legacy = try container.decode(Legacy.self, forKey: .rate)
                self = .rate(legacy.first, legacy.arrival ?? .constant)
            }
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a level has either concurrency or rate"))
        }
    }
}
