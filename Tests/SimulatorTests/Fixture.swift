import Foundation

/// Paths into the repository for tests: the shared exporter samples and the committed demo fleet.
enum Fixture {
    static let testsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SimulatorTests
        .deletingLastPathComponent()  // Tests

    static func text(_ name: String) throws -> String {
        try String(contentsOf: testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent(name), encoding: .utf8)
    }

    /// `deploy/demo/fleet.yaml` in the repository.
    static var demoFleetURL: URL {
        testsDirectory.deletingLastPathComponent().appendingPathComponent("deploy/demo/fleet.yaml")
    }
}
