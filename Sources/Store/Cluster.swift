public import Foundation
public import Logging

/// What the `serve` replicas sharing one database agree on (docs/DEPLOY.md "Replicas"): which of
/// them runs each once-per-cluster loop, and that every committed change to the data the
/// per-request caches hold is heard by every replica at once.
///
/// SQLite is one process by construction (`SingleProcessCluster`); PostgreSQL coordinates through
/// advisory locks and `LISTEN`/`NOTIFY` (`PostgresCluster`).
public protocol Cluster: Sendable {
    /// Whether other processes may share the database. A start-up sweep may treat everything
    /// active as its own earlier run only when they cannot.
    var isShared: Bool { get }

    /// Runs `body` only while this process holds `lease`: waits (trying every `retry`) until no
    /// other replica holds it, runs `body`, and cancels it as soon as the lease is lost (the
    /// connection holding it failed), then waits to lead again. Returns when `body` returns;
    /// throws `CancellationError` when cancelled.
    func leading(_ lease: ClusterLease, retry: Duration, logger: Logger, _ body: @escaping @Sendable () async throws -> Void) async throws

    /// Calls `changed` after any replica commits a change to tenants, users, keys, nodes or
    /// subscriptions, until cancelled. Returns at once when nothing else can change them.
    func watchChanges(logger: Logger, _ changed: @escaping @Sendable () async -> Void) async throws
}

/// A loop that must run once per cluster, with its advisory-lock key (stable across releases:
/// replicas of two versions must agree on it during a rolling upgrade).
public enum ClusterLease: Int64, Sendable, CaseIterable, CustomStringConvertible {
    /// `EventRecorder`: two recorders would record every XID twice.
    case eventRecorder = 0x4149_4601

    public var description: String {
        switch self {
        case .eventRecorder: "event recorder"
        }
    }
}

/// The embedded database's cluster: this process, always the leader, and nobody else writes.
public struct SingleProcessCluster: Cluster {
    public init() {}

    public var isShared: Bool { false }

    public func leading(_ lease: ClusterLease, retry: Duration, logger: Logger, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await body()
    }

    public func watchChanges(logger: Logger, _ changed: @escaping @Sendable () async -> Void) async throws {}
}

extension Store {
    /// Stores without a shared database (test doubles) are a cluster of one.
    public var cluster: any Cluster { SingleProcessCluster() }
}

/// The last pass of a once-per-cluster loop as the store keeps it (`Store.recordLoopBeat`).
public struct LoopBeat: Sendable, Hashable {
    /// The replica that ran it (host and process).
    public var holder: String
    public var at: Date
    /// `nil`: the pass succeeded.
    public var error: String?

    public init(holder: String, at: Date, error: String?) {
        self.holder = holder
        self.at = at
        self.error = error
    }
}
