import SQLKit

/// Every migration, in order. See `Migration` for the rules.
///
/// Schema notes, for both databases:
/// - Entity names are primary keys (`tenants.name`, `pools.name`, `nodes.name`), because they are
///   stable ids that also appear in Prometheus labels; users, keys and subscriptions get random ids.
/// - Times are `BIGINT` milliseconds since 1970 (see `Timestamp`), lists are JSON text.
/// - Foreign keys tie users, keys, nodes and subscriptions to what they reference, so a bug cannot
///   leave a node held by a tenant that does not exist.
enum Migrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "tenancy and inventory", apply: version1),
        Migration(version: 2, name: "gpu events", apply: version2),
        Migration(version: 3, name: "load tests", apply: version3),
        Migration(version: 4, name: "sessions", apply: version4),
        Migration(version: 5, name: "node enrolment", apply: version5),
        Migration(version: 6, name: "diagnostic runs", apply: version6),
        Migration(version: 7, name: "validation runs", apply: version7),
        Migration(version: 8, name: "usage ledger", apply: version8),
        Migration(version: 9, name: "node drains", apply: version9),
        Migration(version: 10, name: "replicas", apply: version10),
    ]

    @Sendable
    private static func version1(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await db.create(table: "tenants")
            .column("name", type: .text, .primaryKey(autoIncrement: false))
            .column("display_name", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await db.create(table: "users")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull, .unique)
            .column("tenant", type: .text, .references("tenants", "name"))
            .column("kind", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "users_by_tenant").on("users").column("tenant").run()
        try await db.create(table: "api_keys")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("prefix", type: .text, .notNull, .unique)
            .column("hash", type: .text, .notNull)
            .column("user_id", type: .text, .notNull, .references("users", "id"))
            .column("label", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("last_used_at", type: .bigint)
            .column("revoked_at", type: .bigint)
            .run()
        try await db.create(index: "api_keys_by_user").on("api_keys").column("user_id").run()
        try await db.create(table: "pools")
            .column("name", type: .text, .primaryKey(autoIncrement: false))
            .column("display_name", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await db.create(table: "nodes")
            .column("name", type: .text, .primaryKey(autoIncrement: false))
            .column("host", type: .text, .notNull)
            .column("dcgm_address", type: .text, .notNull)
            .column("dcgm_path", type: .text, .notNull)
            .column("vllm_address", type: .text)
            .column("vllm_path", type: .text)
            .column("gpu_model", type: .text, .notNull)
            .column("gpu_count", type: .bigint, .notNull)
            .column("gpu_memory_mib", type: .bigint, .notNull)
            .column("gpu_class", type: .text, .notNull)
            .column("gpu_uuids", type: .text, .notNull)
            .column("holding_kind", type: .text, .notNull)
            .column("holding_tenant", type: .text, .notNull, .references("tenants", "name"))
            .column("holding_pool", type: .text, .references("pools", "name"))
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "nodes_by_tenant").on("nodes").column("holding_tenant").run()
        try await db.create(table: "subscriptions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant", type: .text, .notNull, .references("tenants", "name"))
            .column("pool", type: .text, .notNull, .references("pools", "name"))
            .column("plan", type: .text, .notNull)
            .column("token_quota", type: .bigint, .notNull)
            .column("period", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .unique("tenant", "pool")
            .run()
        try await db.create(table: "audit_log")
            .column("id", type: dialect.generatedIDType, .primaryKey(autoIncrement: true))
            .column("at", type: .bigint, .notNull)
            .column("actor", type: .text, .notNull)
            .column("action", type: .text, .notNull)
            .column("target", type: .text, .notNull)
            .column("detail", type: .text, .notNull)
            .run()
    }

    /// GPU events (docs/EVENTS.md). `dedup_key` is node|gpu|kind|code (`EventOccurrence.deduplicationKey`),
    /// so the de-duplication lookup is one indexed equality plus a time bound on either database.
    /// No foreign key to `nodes`: the history outlives a node's registration.
    @Sendable
    private static func version2(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await db.create(table: "gpu_events")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("dedup_key", type: .text, .notNull)
            .column("node", type: .text, .notNull)
            .column("gpu_uuid", type: .text)
            .column("gpu_index", type: .bigint)
            .column("kind", type: .text, .notNull)
            .column("code", type: .bigint)
            .column("meaning", type: .text, .notNull)
            .column("severity", type: .text, .notNull)
            .column("first_seen", type: .bigint, .notNull)
            .column("last_seen", type: .bigint, .notNull)
            .column("count", type: .bigint, .notNull)
            .run()
        try await db.create(index: "gpu_events_by_key").on("gpu_events").column("dedup_key").column("last_seen").run()
        try await db.create(index: "gpu_events_by_node").on("gpu_events").column("node").column("last_seen").run()
        try await db.create(index: "gpu_events_by_last_seen").on("gpu_events").column("last_seen").run()
    }

    /// Load tests (docs/FACTORY-API.md "Load tests"). Plan, progress and result are JSON object
    /// texts; no foreign key to `nodes`, so the results outlive a node's registration.
    @Sendable
    private static func version3(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await db.create(table: "load_tests")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant", type: .text, .notNull, .references("tenants", "name"))
            .column("node", type: .text, .notNull)
            .column("requested_by", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("plan", type: .text, .notNull)
            .column("progress", type: .text)
            .column("result", type: .text)
            .column("error", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .column("started_at", type: .bigint)
            .column("finished_at", type: .bigint)
            .run()
        try await db.create(index: "load_tests_by_tenant").on("load_tests").column("tenant").column("created_at").run()
        try await db.create(index: "load_tests_by_status").on("load_tests").column("status").run()
    }

    /// Browser sessions (docs/SECURITY.md): only the token's SHA-256 is stored; a session belongs
    /// to the key that opened it, and revoking the key deletes it.
    @Sendable
    private static func version4(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await db.create(table: "sessions")
            .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id"))
            .column("key_id", type: .text, .notNull, .references("api_keys", "id"))
            .column("created_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "sessions_by_user").on("sessions").column("user_id").column("created_at").run()
        try await db.create(index: "sessions_by_key").on("sessions").column("key_id").run()
        try await db.create(index: "sessions_by_expiry").on("sessions").column("expires_at").run()
    }

    /// Node enrolment (docs/AGENT.md "Enrol"): one-time tokens and, per enrolled node, its agent's
    /// credential and heartbeat. Only SHA-256 of a token or credential is stored. A side table rather
    /// than new `nodes` columns: a hand-registered node has no row, and SQLite adds one column per
    /// `ALTER TABLE`.
    @Sendable
    private static func version5(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await db.create(table: "enrolment_tokens")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("token_hash", type: .text, .notNull, .unique)
            .column("tenant", type: .text, .notNull, .references("tenants", "name"))
            .column("pool", type: .text, .references("pools", "name"))
            .column("created_by", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .column("used_at", type: .bigint)
            .column("node", type: .text)
            .run()
        try await db.create(index: "enrolment_tokens_by_tenant").on("enrolment_tokens").column("tenant").column("created_at").run()
        try await db.create(table: "node_agents")
            .column("node", type: .text, .primaryKey(autoIncrement: false), .references("nodes", "name"))
            .column("credential_hash", type: .text, .notNull, .unique)
            .column("agent_version", type: .text, .notNull)
            .column("last_seen", type: .bigint, .notNull)
            .column("interval_seconds", type: .bigint, .notNull)
            .run()
    }

    /// Diagnostic runs (docs/DIAGNOSTICS.md "Running diagnostics"). The partial unique index makes
    /// "one active run per node" hold even for two servers racing on one PostgreSQL; both SQLite and
    /// PostgreSQL accept the same `CREATE UNIQUE INDEX … WHERE` text.
    @Sendable
    private static func version6(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await db.create(table: "diagnostic_runs")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant", type: .text, .notNull, .references("tenants", "name"))
            .column("node", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("level", type: .bigint, .notNull)
            .column("state", type: .text, .notNull)
            .column("requested_by", type: .text, .notNull)
            .column("acknowledged", type: .bigint, .notNull)
            .column("timeout_seconds", type: .bigint, .notNull)
            .column("gpus", type: .bigint, .notNull)
            .column("output", type: .text, .notNull)
            .column("output_truncated", type: .bigint, .notNull)
            .column("exit_status", type: .bigint)
            .column("reason", type: .text)
            .column("report", type: .text)
            .column("cancel_requested", type: .bigint, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("started_at", type: .bigint)
            .column("finished_at", type: .bigint)
            .column("agent_contact_at", type: .bigint)
            .column("drain_requested", type: .bigint, .notNull)
            .column("drain", type: .text)
            .run()
        try await db.create(index: "diagnostic_runs_by_tenant").on("diagnostic_runs").column("tenant").column("created_at").run()
        try await db.create(index: "diagnostic_runs_by_state").on("diagnostic_runs").column("state").run()
        // The GPUs an agent last reported with MIG on (diagnostics refuse them); JSON list.
        try await db.raw("ALTER TABLE node_agents ADD COLUMN mig_gpus TEXT NOT NULL DEFAULT '[]'").run()
        try await db.raw("""
            CREATE UNIQUE INDEX diagnostic_runs_one_active ON diagnostic_runs (node) WHERE state IN ('queued', 'running')
            """).run()
    }

    /// Runs of the "validate observability stack" self-check (docs/VALIDATE.md); `tenant` is
    /// NULL for an operator's fleet run. No foreign key on it: a removed tenant's runs go with
    /// the retention, not with a cascade.
    @Sendable
    private static func version7(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await db.create(table: "validation_runs")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant", type: .text)
            .column("requested_by", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("status", type: .text, .notNull)
            .column("duration_ms", type: .bigint, .notNull)
            .column("report", type: .text, .notNull)
            .run()
        try await db.create(index: "validation_runs_by_tenant").on("validation_runs").column("tenant").column("created_at").run()
    }

    /// The gateway's usage ledger (docs/GATEWAY.md "Metering"): one row per metered request,
    /// keyed by its request id so a retried write never counts twice.
    @Sendable
    private static func version8(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await db.create(table: "usage_ledger")
            .column("request_id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant", type: .text, .notNull)
            .column("pool", type: .text, .notNull)
            .column("key_id", type: .text, .notNull)
            .column("model", type: .text, .notNull)
            .column("tokens_in", type: .bigint, .notNull)
            .column("tokens_out", type: .bigint, .notNull)
            .column("status", type: .bigint, .notNull)
            .column("source", type: .text, .notNull)
            .column("at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "usage_ledger_by_tenant").on("usage_ledger").column("tenant").column("at").run()
    }

    /// Nodes taken out of the gateway's routing (docs/GATEWAY.md "Draining"): one row per drained
    /// node, shared by every gateway replica on the store; deleted with the node.
    @Sendable
    private static func version9(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await db.create(table: "node_drains")
            .column("node", type: .text, .primaryKey(autoIncrement: false), .references("nodes", "name", onDelete: .cascade))
            .column("reason", type: .text, .notNull)
            .column("since", type: .bigint, .notNull)
            .run()
    }

    /// Replicas on one database (docs/DEPLOY.md "Replicas"): each load test records the replica
    /// that runs it and when that replica was last heard, so a replica that dies leaves tests the
    /// others can fail instead of tests a starting replica fails while they run. On PostgreSQL, a
    /// statement trigger on every table the per-request caches hold announces each committed change
    /// on `PostgresCluster.channel`, so a revoked key stops working on every replica at once.
    @Sendable
    private static func version10(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await db.alter(table: "load_tests").column("owner", type: .text).run()
        try await db.alter(table: "load_tests").column("seen_at", type: .bigint).run()
        // The last pass of each once-per-cluster loop, whichever replica ran it, so any replica's
        // self-check can say whether the loop runs somewhere.
        try await db.create(table: "loop_beats")
            .column("name", type: .text, .primaryKey(autoIncrement: false))
            .column("holder", type: .text, .notNull)
            .column("at", type: .bigint, .notNull)
            .column("error", type: .text)
            .run()
        guard dialect == .postgres else { return }
        try await db.raw("""
            CREATE OR REPLACE FUNCTION aifactory_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('\(unsafeRaw: PostgresCluster.channel)', TG_TABLE_NAME);
                RETURN NULL;
            END $$
            """).run()
        // A key's `last_used_at` moves on a successful use (once a minute per key at most); that is
        // no change a cache must hear about, and flushing every replica's caches on it would leave
        // them empty on a busy site. Its other changes (revocation above all) are announced.
        let events = [
            "tenants": "INSERT OR UPDATE OR DELETE OR TRUNCATE", "users": "INSERT OR UPDATE OR DELETE OR TRUNCATE",
            "api_keys": "INSERT OR DELETE OR TRUNCATE OR UPDATE OF revoked_at, label, user_id, hash, prefix",
            "nodes": "INSERT OR UPDATE OR DELETE OR TRUNCATE", "subscriptions": "INSERT OR UPDATE OR DELETE OR TRUNCATE",
        ]
        for (table, event) in events.sorted(by: { $0.key < $1.key }) {
            try await db.raw("""
                CREATE TRIGGER \(unsafeRaw: table)_changed AFTER \(unsafeRaw: event) ON \(unsafeRaw: table)
                FOR EACH STATEMENT EXECUTE FUNCTION aifactory_notify_change()
                """).run()
        }
    }
}
