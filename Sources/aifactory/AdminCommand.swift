import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// `aifactory admin …`: connect a GPU from the command line (tenants, people, keys, pools,
/// subscriptions, nodes, connection check, audit log).
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Manage tenants, users, keys, pools, subscriptions and nodes through the admin API.",
        subcommands: [
            AdminBootstrapCommand.self, AdminTenantCommand.self, AdminUserCommand.self, AdminKeyCommand.self,
            AdminPoolCommand.self, AdminSubscriptionCommand.self, AdminNodeCommand.self, AdminAuditCommand.self,
        ]
    )
}

struct AdminTenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tenant", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        @OptionGroup var connection: AdminConnection
        @Argument(help: "Tenant name ([a-z0-9][a-z0-9-]*).") var name: String
        @Option(name: .customLong("display-name")) var displayName: String?
        func run() async throws {
            var body: [String: Any] = ["name": name]
            if let displayName { body["displayName"] = displayName }
            try await connection.send(.POST, "/api/v1/admin/tenants", json: body)
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var connection: AdminConnection
        func run() async throws { try await connection.send(.GET, "/api/v1/admin/tenants") }
    }
}

struct AdminUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        @OptionGroup var connection: AdminConnection
        @Argument var name: String
        @Option(help: "Tenant (omit for a site operator).") var tenant: String?
        @Option(help: "tenant-admin, tenant-member or site-operator.") var kind = "tenant-member"
        func run() async throws {
            var body: [String: Any] = ["name": name, "kind": kind]
            if let tenant { body["tenant"] = tenant }
            try await connection.send(.POST, "/api/v1/admin/users", json: body)
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var connection: AdminConnection
        func run() async throws { try await connection.send(.GET, "/api/v1/admin/users") }
    }
}

struct AdminKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "key", subcommands: [Create.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API key; the key is printed once and never again.")
        @OptionGroup var connection: AdminConnection
        @Argument(help: "User id.") var user: String
        @Option var label: String = ""
        func run() async throws { try await connection.send(.POST, "/api/v1/admin/users/\(user)/keys", json: ["label": label]) }
    }

    struct Revoke: AsyncParsableCommand {
        @OptionGroup var connection: AdminConnection
        @Argument(help: "Key id.") var id: String
        func run() async throws { try await connection.send(.DELETE, "/api/v1/admin/keys/\(id)") }
    }
}

struct AdminPoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pool", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        @OptionGroup var connection: AdminConnection
        @Argument var name: String
        @Option(name: .customLong("display-name")) var displayName: String?
        func run() async throws {
            var body: [String: Any] = ["name": name]
            if let displayName { body["displayName"] = displayName }
            try await connection.send(.POST, "/api/v1/admin/pools", json: body)
        }
    }
}

struct AdminSubscriptionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "subscription", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        @OptionGroup var connection: AdminConnection
        @Option var tenant: String
        @Option var pool: String
        @Option var plan: String
        @Option(name: .customLong("token-quota")) var tokenQuota: Int
        @Option(help: "month, week or day.") var period = "month"
        func run() async throws {
            try await connection.send(.POST, "/api/v1/admin/subscriptions", json: [
                "tenant": tenant, "pool": pool, "plan": plan, "tokenQuota": tokenQuota, "period": period,
            ])
        }
    }
}

struct AdminNodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "node", subcommands: [Register.self, List.self, Check.self, EnrollToken.self])

    struct EnrollToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enroll-token",
            abstract: "Mint a one-time token that enrols a GPU host with `aifactory agent --server URL --enroll-token TOKEN`.",
            discussion: "Prints the token, its expiry and the one-line agent command. Tenant admins mint for their own tenant; operators for any.")
        @OptionGroup var connection: AdminConnection
        @Option(help: "The tenant that will hold the node.") var tenant: String
        @Option(help: "Contribute the node to this pool (the tenant is its provider); dedicated when omitted.") var pool: String?
        @Option(help: "How long the token can be used: 30m, 1h, 2d (at most 7d).") var ttl: String = "1h"

        func validate() throws {
            _ = try ttlSeconds()
        }

        func ttlSeconds() throws -> Int {
            let units: [(String, Int)] = [("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
            for (suffix, scale) in units where ttl.hasSuffix(suffix) {
                if let value = Int(ttl.dropLast()), value > 0, value <= 7 * 86_400 / scale { return value * scale }
            }
            throw ValidationError("--ttl must be a duration like 30m, 1h or 2d, at most 7d; got '\(ttl)'")
        }

        func run() async throws {
            var body: [String: Any] = ["tenant": tenant, "ttlSeconds": try ttlSeconds()]
            if let pool { body["pool"] = pool }
            try await connection.send(.POST, "/api/v1/admin/nodes/enroll-tokens", json: body)
        }
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a GPU node: dedicated to --tenant, or contributed by --tenant to --pool.")
        @OptionGroup var connection: AdminConnection
        @Argument var name: String
        @Option var host: String
        @Option(help: "dcgm-exporter address host:port.") var dcgm: String
        @Option(name: .customLong("dcgm-path")) var dcgmPath = "/metrics"
        @Option(help: "vLLM metrics address host:port, if the node serves a model.") var vllm: String?
        @Option(name: .customLong("vllm-path")) var vllmPath = "/metrics"
        @Option(help: "GPU model name as the exporter reports it.") var model: String
        @Option var gpus: Int
        @Option(name: .customLong("memory-mib")) var memoryMiB: Int
        @Option(name: .customLong("class"), help: "GPU class (derived from model and memory when omitted).") var gpuClass: String?
        @Option var tenant: String
        @Option var pool: String?
        func run() async throws {
            var body: [String: Any] = [
                "name": name, "host": host, "dcgmAddress": dcgm, "dcgmPath": dcgmPath, "gpuModel": model,
                "gpuCount": gpus, "gpuMemoryMiB": memoryMiB, "tenant": tenant,
            ]
            if let vllm { body["vllmAddress"] = vllm; body["vllmPath"] = vllmPath }
            if let gpuClass { body["gpuClass"] = gpuClass }
            if let pool { body["pool"] = pool }
            try await connection.send(.POST, "/api/v1/admin/nodes", json: body)
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var connection: AdminConnection
        func run() async throws { try await connection.send(.GET, "/api/v1/admin/nodes") }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Does Prometheus see the node: up, DCGM series, tenant label (with hints). Exit 1 when not.")
        @OptionGroup var connection: AdminConnection
        @Argument var name: String
        func run() async throws {
            let report = try await connection.send(.GET, "/api/v1/admin/nodes/\(name)/check") as? [String: Any]
            if report?["ok"] as? Bool != true { throw ExitCode.failure }
        }
    }
}

struct AdminAuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit")
    @OptionGroup var connection: AdminConnection
    @Option var limit = 50
    func run() async throws { try await connection.send(.GET, "/api/v1/admin/audit?limit=\(limit)") }
}
