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
