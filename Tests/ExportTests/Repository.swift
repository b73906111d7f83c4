import Foundation

/// Paths inside the repository, found from this file's location (tests run from any directory).
enum Repository {
    static var root: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().resolvingSymlinksInPath() // ExportTests (a dev package may link it)
            .deletingLastPathComponent() // Tests
            .deletingLastPathComponent()
    }

    static func url(_ relative: String) -> URL {
        root.appendingPathComponent(relative)
    }

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: url(relative), encoding: .utf8)
    }

    /// The demo fleet's nodes, as `aifactory export rules --fleet deploy/demo/fleet.yaml` reads them.
    static func demoTargets() throws -> [Export.AlertTarget] {
        try Export.AlertTarget.targets(fleetYAML: read("deploy/demo/fleet.yaml"))
    }
}

import Export
