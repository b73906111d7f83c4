public import Foundation

/// A shared pool of GPUs: providers contribute nodes to it, consumers subscribe to it.
///
/// A pool is the only way one tenant's hardware serves another tenant, and consumers see the pool's
/// usage, never the contributing provider's hardware.
public struct Pool: Sendable, Hashable, Codable {
    /// Stable id, validated like tenant names; used as the Prometheus `pool` label.
    public var name: String
    public var displayName: String
    public var createdAt: Date

    public init(name: String, displayName: String, createdAt: Date) {
        self.name = name
        self.displayName = displayName
        self.createdAt = createdAt
    }
}
