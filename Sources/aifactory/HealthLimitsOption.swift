import ArgumentParser
import Fleet
import Foundation
import Stack

/// `--health-limits FILE` for `serve` and `demo`: a bad file stops start-up with its name and the
/// key or line to fix (exit 2), never a silent fallback to defaults.
enum HealthLimitsOption {
    static func load(_ path: String?) throws -> HealthLimits {
        guard let path else { return .default }
        do {
            return try HealthLimitsFile.load(path: path)
        } catch {
            CLIErrors.printError("--health-limits \(error)")
            throw ExitCode(2)
        }
    }
}
