import Fleet
import Foundation
import Logging
import Server
import Store

/// A small tenancy world on a temporary SQLite store, with one key per person.
///
/// acme owns `acme-1`; globex contributes `globex-1` to pool `shared`; umbrella consumes
/// `shared`; hooli holds nothing; `root` is a site operator.
struct TestFleet {
    let store: any Store
    let directory: URL
    var keys: [String: String] = [:]  // "acme-admin", "acme-member", …, "operator" → plaintext
    var users: [String: User] = [:]

    static func make() async throws -> TestFleet {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aif-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var logger = Logger(label: "test.store")
        logger.logLevel = .warning
        let store = try await StoreFactory.sqlite(path: directory.appendingPathComponent("aifactory.sqlite").path, logger: logger)
        var fleet = TestFleet(store: store, directory: directory)
        for tenant in ["acme", "globex", "umbrella", "hooli"] {
            _ = try await store.createTenant(name: tenant, displayName: tenant.capitalized)
            try await fleet.addUser("\(tenant)-admin", tenant: tenant, kind: .tenantAdmin)
            try await fleet.addUser("\(tenant)-member", tenant: tenant, kind: .tenantMember)
        }
        try await fleet.addUser("operator", tenant: nil, kind: .siteOperator)
        _ = try await store.createPool(name: "shared", displayName: "Shared Ada")
        _ = try await store.registerNode(Self.node("acme-1", holding: .dedicated(tenant: "acme")))
        _ = try await store.registerNode(Self.node("globex-1", holding: .contributed(provider: "globex", pool: "shared")))
        _ = try await store.createSubscription(tenant: "umbrella", pool: "shared", plan: "starter", tokenQuota: 1_000_000, period: "month")
        return fleet
    }

    static func node(_ name: String, holding: Holding) -> NodeRecord {
        NodeRecord(
            name: name, host: "\(name).example", dcgmAddress: "127.0.0.1:9400", dcgmPath: "/nodes/\(name)/dcgm/metrics",
            gpuModel: "NVIDIA RTX 2000 Ada Generation", gpuCount: 1, gpuMemoryMiB: 16380, gpuClass: "ada-16", holding: holding
        )
    }

    mutating func addUser(_ name: String, tenant: String?, kind: UserKind) async throws {
        let user = try await store.createUser(name: name, tenant: tenant, kind: kind)
        let (_, plaintext) = try await store.createAPIKey(userID: user.id, label: "test")
        keys[name] = plaintext
        users[name] = user
    }

    func dependencies(limiter: FailedAuthLimiter = FailedAuthLimiter()) -> ServerDependencies {
        ServerDependencies(store: store, limiter: limiter, serviceDiscoveryToken: "sd-secret")
    }

    func close() async {
        try? await store.close()
        try? FileManager.default.removeItem(at: directory)
    }
}
