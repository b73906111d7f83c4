import Foundation
@testable import Stack
import Store
import TestSupport
import Testing
import Logging

/// Finding 9: the demo's state directory and SQLite file were world-readable, and its
/// Prometheus ran with `--web.enable-lifecycle` (anyone reaching the port could stop it).
@Suite("Finding 9: demo state")
struct Finding9DemoStateTests {
    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test("finding 9: a new state directory is 0700 and the database 0600; an earlier run's wider modes are tightened")
    func stateModes() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("aif-state-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let state = try DemoStack.prepareStateDirectory(root + "/state")
        #expect(try Self.mode(state) == 0o700)
        let database = StoreFactory.defaultSQLitePath(stateDirectory: state)
        try await closing(try await StoreFactory.sqlite(path: database, logger: .init(label: "test"))) { store in
            _ = try await store.createTenant(name: "acme", displayName: "ACME")
        }
        #expect(try Self.mode(database) == 0o600)
        // As an earlier version left them: world-readable.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: state)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: database)
        _ = try DemoStack.prepareStateDirectory(state)
        try await closing(try await StoreFactory.sqlite(path: database, logger: .init(label: "test"))) { _ in }
        #expect(try Self.mode(state) == 0o700)
        #expect(try Self.mode(database) == 0o600)
    }

    @Test("finding 9: an existing directory that is not a demo state directory keeps its mode")
    func foreignDirectoryUntouched() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("aif-dir-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        _ = try DemoStack.prepareStateDirectory(root)
        #expect(try Self.mode(root) == 0o755)
    }

    @Test("finding 9: the demo's Prometheus runs without the lifecycle API")
    func noLifecycle() {
        let runtime = PrometheusRuntime(binary: "/usr/bin/prometheus", port: 9090, stateDirectory: "/tmp/state")
        #expect(!runtime.arguments.contains { $0.contains("enable-lifecycle") })
        #expect(runtime.arguments.contains("--web.listen-address=127.0.0.1:9090"))
    }
}
