import Foundation

/// Reads the shared exporter samples committed under `Tests/Fixtures` (provenance in its README).
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ExpositionTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }
}
