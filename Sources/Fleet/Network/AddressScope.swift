/// Where an address leads, for deciding whether the server may connect to it for a tenant.
///
/// Everything but `.global` reaches the server's own host or its private network (the database,
/// Prometheus, a cloud metadata service at 169.254.169.254): a tenant that controls a DNS name or
/// a redirect must not be able to point the server there (docs/SECURITY.md).
public enum AddressScope: String, Sendable, Hashable, CaseIterable {
    case loopback
    case linkLocal = "link-local"
    case privateNetwork = "private"
    /// 0.0.0.0/8 and `::`, which connect to the local host on most systems.
    case unspecified
    case multicast
    /// Reserved, documentation, benchmarking and broadcast ranges: never a real endpoint.
    case reserved
    case global

    public static func of(_ address: IPAddress) -> AddressScope {
        let address = address.unmapped
        for (network, scope) in table where network.contains(address) { return scope }
        return .global
    }

    /// Ranges in match order (more specific ranges first where they overlap).
    private static let table: [(CIDR, AddressScope)] = [
        ("0.0.0.0/8", .unspecified), ("127.0.0.0/8", .loopback), ("169.254.0.0/16", .linkLocal),
        ("10.0.0.0/8", .privateNetwork), ("172.16.0.0/12", .privateNetwork), ("192.168.0.0/16", .privateNetwork),
        ("100.64.0.0/10", .privateNetwork), ("192.0.0.0/24", .reserved), ("192.0.2.0/24", .reserved),
        ("198.18.0.0/15", .reserved), ("198.51.100.0/24", .reserved), ("203.0.113.0/24", .reserved),
        ("224.0.0.0/4", .multicast), ("240.0.0.0/4", .reserved),
        ("::/128", .unspecified), ("::1/128", .loopback), ("fe80::/10", .linkLocal), ("fc00::/7", .privateNetwork),
        ("ff00::/8", .multicast), ("2001:db8::/32", .reserved), ("64:ff9b::/96", .reserved),
    ].compactMap { text, scope in CIDR(text).map { ($0, scope) } }
}
