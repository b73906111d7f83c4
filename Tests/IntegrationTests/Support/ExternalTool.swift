import Foundation
import Testing

/// Locates real external binaries (Debian's `prometheus`, `promtool`, …) for integration tests.
///
/// Integration tests run the real components, never fakes. On a developer machine a missing
/// binary skips the test with a note; under CI (`CI=true`) a missing binary fails the run, so a
/// broken setup script can never turn the integration suite into a silent no-op.
enum ExternalTool {
    /// `true` when the environment says this is a CI run.
    static var isCI: Bool {
        let value = ProcessInfo.processInfo.environment["CI"]?.lowercased()
        return value == "true" || value == "1"
    }

    /// Absolute path of `name` found on `PATH` (or in `/usr/bin`, `/usr/sbin`), or `nil`.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/usr/local/bin"]
        for dir in dirs {
            let candidate = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Returns the binary's path, or records an issue under CI and returns `nil` elsewhere.
    ///
    /// Callers `guard let` the result and return early; the early return is a skip only off CI.
    static func require(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        if let found = find(name) { return found }
        if isCI {
            Issue.record("\(name) is not installed; CI=true requires it (run scripts/setup.sh)", sourceLocation: sourceLocation)
        } else {
            print("note: \(name) not installed; skipping (scripts/setup.sh installs it)")
        }
        return nil
    }

    /// Directory holding the shared exporter fixtures committed under `Tests/Fixtures`.
    static var fixturesDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent() // Support
            .deletingLastPathComponent() // IntegrationTests
            .deletingLastPathComponent() // Tests
            .appendingPathComponent("Fixtures")
    }
}
