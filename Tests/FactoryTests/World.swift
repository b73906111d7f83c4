@testable import Factory
import Fleet
import Foundation
import Logging
import Store

/// A small tenancy world on a temporary SQLite store: acme owns `acme-1`; globex contributes
/// `globex-1` to pool `shared` and owns `globex-2`; umbrella consumes `shared`.
struct World {
    let store: any Store
    let directory: URL
    var users: [String: User] = [:]

    static func make() async throws -> World {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aif-factory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var logger = Logger(label: "test.store")
        logger.logLevel = .warning
        let store = try await StoreFactory.sqlite(path: directory.appendingPathComponent("aifactory.sqlite").path, logger: logger)
        var world = World(store: store, directory: directory)
        for tenant in ["acme", "globex", "umbrella"] {
            _ = try await store.createTenant(name: tenant, displayName: tenant.capitalized)
            world.users["\(tenant)-admin"] = try await store.createUser(name: "\(tenant)-admin", tenant: tenant, kind: .tenantAdmin)
        }
        world.users["operator"] = try await store.createUser(name: "operator", tenant: nil, kind: .siteOperator)
        _ = try await store.createPool(name: "shared", displayName: "Shared")
        _ = try await store.registerNode(node("acme-1", .dedicated(tenant: "acme")))
        _ = try await store.registerNode(node("globex-1", .contributed(provider: "globex", pool: "shared")))
        _ = try await store.registerNode(node("globex-2", .dedicated(tenant: "globex")))
        _ = try await store.createSubscription(tenant: "umbrella", pool: "shared", plan: "starter", tokenQuota: 1_000_000, period: "month")
        return world
    }

    static func node(_ name: String, _ holding: Holding) -> NodeRecord {
        NodeRecord(
            name: name, host: "\(name).example", dcgmAddress: "127.0.0.1:9400", dcgmPath: "/nodes/\(name)/dcgm/metrics",
            vllmAddress: "127.0.0.1:9400", vllmPath: "/nodes/\(name)/vllm/metrics",
            gpuModel: "NVIDIA RTX 2000 Ada Generation", gpuCount: 1, gpuMemoryMiB: 16380, gpuClass: "ada-16", holding: holding)
    }

    func caller(_ name: String) -> Caller {
        Caller(user: users[name]!, keyID: "k_\(name)")
    }

    func readModel(_ metrics: FakeMetrics, alerts: (any AlertSource)? = nil) -> ReadModel {
        ReadModel(
            store: store, metrics: metrics, alertSource: alerts, readers: ReadModel.Readers(metrics: metrics),
            now: { Date(timeIntervalSince1970: 1_800_000_000) })
    }

    func close() async {
        try? await store.close()
        try? FileManager.default.removeItem(at: directory)
    }
}
