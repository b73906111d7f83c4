public import Fleet
public import Foundation
public import Store

/// Puts the demo's tenants, people, keys, pools, nodes and subscriptions into the store.
///
/// Idempotent: a second start finds everything in place, keeps the keys that still
/// authenticate (the plaintext lives only in `demo-credentials.json`), and re-points node
/// endpoints at the simulator's current address.
public struct DemoSeeder: Sendable {
    public let store: any Store
    public let fleet: FleetSpec

    public init(store: any Store, fleet: FleetSpec) {
        self.store = store
        self.fleet = fleet
    }

    /// Seeds and returns one login per demo tenant (plus the operator).
    public func seed(simulatorAddress: String, previous: DemoCredentials?, now: Date = Date()) async throws -> [DemoCredentials.Tenant] {
        let roles = DemoTenants.roles(for: fleet)
        for entry in roles where entry.role != "operator" {
            if try await store.tenant(named: entry.tenant) == nil {
                _ = try await store.createTenant(name: entry.tenant, displayName: entry.tenant.capitalized)
            }
        }
        let existingPools = Set(try await store.pools().map(\.name))
        for pool in fleet.pools where !existingPools.contains(pool) {
            _ = try await store.createPool(name: pool, displayName: pool)
        }
        for node in fleet.nodes {
            let record = NodeRecord(
                name: node.name, host: node.host,
                dcgmAddress: simulatorAddress, dcgmPath: "/nodes/\(node.name)/dcgm/metrics",
                vllmAddress: node.servedModel == nil ? nil : simulatorAddress,
                vllmPath: node.servedModel == nil ? nil : "/nodes/\(node.name)/vllm/metrics",
                gpuModel: node.gpuModel, gpuCount: node.gpuCount, gpuMemoryMiB: node.gpuMemoryMiB,
                gpuClass: node.gpuClass, holding: node.holding, createdAt: now
            )
            if let existing = try await store.node(named: node.name) {
                if existing.dcgmAddress != record.dcgmAddress || existing.vllmAddress != record.vllmAddress {
                    try await store.updateNodeEndpoints(
                        node: node.name, dcgmAddress: record.dcgmAddress, dcgmPath: record.dcgmPath,
                        vllmAddress: record.vllmAddress, vllmPath: record.vllmPath
                    )
                }
            } else {
                _ = try await store.registerNode(record)
            }
        }
        let subscriptions = try await store.subscriptions(tenant: DemoTenants.consumer)
        for pool in fleet.pools where !subscriptions.contains(where: { $0.pool == pool }) {
            _ = try await store.createSubscription(tenant: DemoTenants.consumer, pool: pool, plan: "starter", tokenQuota: 5_000_000, period: "month")
        }

        var logins: [DemoCredentials.Tenant] = []
        for entry in roles {
            let isOperator = entry.role == "operator"
            let userName = isOperator ? "operator" : "\(entry.tenant)-admin"
            let tenant: String? = isOperator ? nil : entry.tenant
            let users = try await store.users(tenant: tenant)
            let user: User
            if let found = users.first(where: { $0.name == userName && $0.tenant == tenant }) {
                user = found
            } else {
                user = try await store.createUser(name: userName, tenant: tenant, kind: isOperator ? .siteOperator : .tenantAdmin)
            }
            var key: String?
            if let old = previous?.tenants.first(where: { $0.tenant == entry.tenant })?.apiKey,
               let (_, owner) = try await store.authenticate(apiKey: old, now: now), owner.id == user.id {
                key = old
            }
            if key == nil {
                key = try await store.createAPIKey(userID: user.id, label: "demo").plaintext
            }
            logins.append(DemoCredentials.Tenant(tenant: entry.tenant, role: entry.role, apiKey: key ?? ""))
        }
        return logins
    }
}
