public import LoadTest
import Foundation

extension LoadTestError {
    /// The request field a load-test library error is about and its message in the API's words
    /// (the library names CLI flags: `--concurrency` becomes `concurrency`).
    public var field: (name: String, message: String) {
        switch self {
        case .invalidFlag(let flag, let message):
            (Self.flagFields[flag] ?? "body", message.replacingOccurrences(of: "--", with: ""))
        case .invalidSLO(let target, let message):
            ("slo", "'\(target)': \(message)")
        case .cannotWrite:
            ("body", "\(self)")
        }
    }

    static let flagFields: [String: String] = [
        "--url": "node", "--model": "model", "--endpoint": "endpoint", "--concurrency": "concurrency", "--rate": "rate",
        "--arrival": "arrival", "--requests": "requests", "--duration": "durationSeconds", "--isl": "isl", "--osl": "osl",
        "--slo": "slo", "--search": "search", "--search-limit": "searchLimit", "--warmup": "requests",
        "--request-timeout": "durationSeconds",
    ]
}
