/// A test's or a GPU's verdict, ordered from best to worst so a summary is the `max` of its parts.
public enum DiagnosticStatus: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case pass
    case skip
    case warn
    case fail

    /// Reads DCGM's spellings: `Pass`, `Fail - All`, `Skip`, `Warn`, `Warning`, `Not Run`.
    public init?(dcgm text: String) {
        let word = text.split(separator: " ").first.map { $0.lowercased() } ?? ""
        switch word {
        case "pass", "passed": self = .pass
        case "fail", "failed", "error": self = .fail
        case "warn", "warning": self = .warn
        case "skip", "skipped", "not": self = .skip
        default: return nil
        }
    }

    private var rank: Int {
        switch self {
        case .pass: 0
        case .skip: 1
        case .warn: 2
        case .fail: 3
        }
    }

    public static func < (lhs: DiagnosticStatus, rhs: DiagnosticStatus) -> Bool {
        lhs.rank < rhs.rank
    }
}
