import Foundation
@testable import Stack
import Store
import Testing

/// Finding 9: the demo's state directory and SQLite file were world-readable, and its
/// Prometheus ran with `--web.enable-lifecycle` (anyone reaching the port could stop it).
@Suite("Finding 9: demo state")
struct Finding9DemoStateTests {
    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test("finding 9: the state directory is 0700 and the database 0600, also when they existed with wider modes")
    func stateModes() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("aif-state-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let state = try DemoStack.prepareStateDirectory(root)
        #expect(try Self.mode(state) == 0o700)
        let database = StoreFactory.defaultSQLitePath(stateDirectory: state)
        let store = try await StoreFactory.sqlite(path: database, logger: .init(label: "test"))
        _ = try await store.createTenant(name: "acme", displayName: "ACME")
        try await store.close()
        #expect(try Self.mode(database) == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: database)
        let reopened = try await StoreFactory.sqlite(path: database, logger: .init(label: "test"))
        try await reopened.close()
        #expect(try Self.mode(database) == 0o600)
    }

    @Test("finding 9: the demo's Prometheus runs without the lifecycle API")
    func noLifecycle() {
        let runtime = PrometheusRuntime(binary: "/usr/bin/prometheus", port: 9090, stateDirectory: "/tmp/state")
        #expect(!runtime.arguments.contains { $0.contains("enable-lifecycle") })
        #expect(runtime.arguments.contains("--web.listen-address=127.0.0.1:9090"))
    }
}
