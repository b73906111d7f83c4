public import Foundation

/// An organisation using the product: the unit of isolation for data, keys and GPU visibility.
///
/// `name` is the stable id that appears in Prometheus `tenant` labels, URLs and the audit log, so it
/// is restricted to `[a-z0-9][a-z0-9-]{0,62}` (a valid label value and DNS label) and never changes.
public struct Tenant: Sendable, Hashable, Codable {
    /// Stable id, e.g. `acme`. Validated by the store with `NameRule`.
    public var name: String
    /// What the page shows, e.g. `ACME Research`. Free text.
    public var displayName: String
    public var createdAt: Date

    public init(name: String, displayName: String, createdAt: Date) {
        self.name = name
        self.displayName = displayName
        self.createdAt = createdAt
    }
}
