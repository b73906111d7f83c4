/// What a user may do, which decides admin routes and whether the user belongs to a tenant at all.
///
/// Raw values are stored in the database and returned by the API, so they must not change.
public enum UserKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Manages one tenant: keys, subscriptions, node registrations for that tenant.
    case tenantAdmin = "tenant-admin"
    /// Reads one tenant's data; cannot change anything.
    case tenantMember = "tenant-member"
    /// Platform staff: no tenant, manages the whole installation.
    case siteOperator = "site-operator"

    /// `true` when users of this kind must belong to a tenant (everyone but site operators).
    public var requiresTenant: Bool { self != .siteOperator }
}
