import Foundation

/// The exporter and tool fixtures committed under `Tests/Fixtures` (copied from shared/fixtures,
/// provenance in their README).
enum Fixture {
    static var directory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent() // DiagnosticsTests
            .deletingLastPathComponent() // Tests
            .appendingPathComponent("Fixtures")
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }
}
