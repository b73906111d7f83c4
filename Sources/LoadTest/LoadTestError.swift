/// Everything that stops a load test before it starts or while writing results, with a
/// message a person can act on (the CLI prints `description`).
public enum LoadTestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A flag's value is unusable; `flag` is the flag as typed (`--isl`).
    case invalidFlag(flag: String, message: String)
    /// One `--slo` target is malformed.
    case invalidSLO(String, String)
    /// The results directory or a file in it could not be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidFlag(let flag, let message): "\(flag): \(message)"
        case .invalidSLO(let target, let message): "--slo '\(target)': \(message)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}
