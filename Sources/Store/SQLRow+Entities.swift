import Fleet
import Foundation
import SQLKit

/// Row → value decoding for every entity, kept beside the column names used in `Migrations`.
extension SQLRow {
    func date(_ column: String) throws -> Date {
        Timestamp.date(try decode(column: column, as: Int64.self))
    }

    func optionalDate(_ column: String) throws -> Date? {
        try decode(column: column, as: Int64?.self).map(Timestamp.date)
    }

    func tenant() throws -> Tenant {
        Tenant(name: try decode(column: "name", as: String.self),
               displayName: try decode(column: "display_name", as: String.self),
               createdAt: try date("created_at"))
    }

    func pool() throws -> Pool {
        Pool(name: try decode(column: "name", as: String.self),
             displayName: try decode(column: "display_name", as: String.self),
             createdAt: try date("created_at"))
    }

    func user() throws -> User {
        let rawKind = try decode(column: "kind", as: String.self)
        guard let kind = UserKind(rawValue: rawKind) else {
            throw StoreError.unavailable("stored user has an unknown kind '\(rawKind)'")
        }
        return User(id: try decode(column: "id", as: String.self),
                    name: try decode(column: "name", as: String.self),
                    tenant: try decode(column: "tenant", as: String?.self),
                    kind: kind,
                    createdAt: try date("created_at"))
    }

    func apiKey() throws -> APIKeyRecord {
        APIKeyRecord(id: try decode(column: "id", as: String.self),
                     prefix: try decode(column: "prefix", as: String.self),
                     userID: try decode(column: "user_id", as: String.self),
                     label: try decode(column: "label", as: String.self),
                     createdAt: try date("created_at"),
                     lastUsedAt: try optionalDate("last_used_at"),
                     revokedAt: try optionalDate("revoked_at"))
    }

    func node() throws -> NodeRecord {
        let kind = try decode(column: "holding_kind", as: String.self)
        let tenant = try decode(column: "holding_tenant", as: String.self)
        let pool = try decode(column: "holding_pool", as: String?.self)
        let holding: Holding
        switch (kind, pool) {
        case ("dedicated", nil): holding = .dedicated(tenant: tenant)
        case ("contributed", let pool?): holding = .contributed(provider: tenant, pool: pool)
        default: throw StoreError.unavailable("stored node has an inconsistent holding")
        }
        let uuidsJSON = try decode(column: "gpu_uuids", as: String.self)
        let uuids = try JSONDecoder().decode([String].self, from: Data(uuidsJSON.utf8))
        return NodeRecord(
            name: try decode(column: "name", as: String.self),
            host: try decode(column: "host", as: String.self),
            dcgmAddress: try decode(column: "dcgm_address", as: String.self),
            dcgmPath: try decode(column: "dcgm_path", as: String.self),
            vllmAddress: try decode(column: "vllm_address", as: String?.self),
            vllmPath: try decode(column: "vllm_path", as: String?.self),
            gpuModel: try decode(column: "gpu_model", as: String.self),
            gpuCount: Int(try decode(column: "gpu_count", as: Int64.self)),
            gpuMemoryMiB: Int(try decode(column: "gpu_memory_mib", as: Int64.self)),
            gpuClass: try decode(column: "gpu_class", as: String.self),
            gpuUUIDs: uuids,
            holding: holding,
            createdAt: try date("created_at"))
    }

    func enrolmentToken() throws -> EnrolmentToken {
        EnrolmentToken(
            id: try decode(column: "id", as: String.self),
            tenant: try decode(column: "tenant", as: String.self),
            pool: try decode(column: "pool", as: String?.self),
            createdBy: try decode(column: "created_by", as: String.self),
            createdAt: try date("created_at"),
            expiresAt: try date("expires_at"),
            usedAt: try decode(column: "used_at", as: Int64?.self).map(Timestamp.date),
            node: try decode(column: "node", as: String?.self))
    }

    func subscription() throws -> Subscription {
        Subscription(id: try decode(column: "id", as: String.self),
                     tenant: try decode(column: "tenant", as: String.self),
                     pool: try decode(column: "pool", as: String.self),
                     plan: try decode(column: "plan", as: String.self),
                     tokenQuota: Int(try decode(column: "token_quota", as: Int64.self)),
                     period: try decode(column: "period", as: String.self),
                     createdAt: try date("created_at"))
    }

    func auditEntry() throws -> AuditEntry {
        AuditEntry(id: try decode(column: "id", as: Int64.self),
                   at: try date("at"),
                   actor: try decode(column: "actor", as: String.self),
                   action: try decode(column: "action", as: String.self),
                   target: try decode(column: "target", as: String.self),
                   detail: try decode(column: "detail", as: String.self))
    }
}
